using Vigil.Contracts;
using Vigil.Scoring.Ensemble;

namespace Vigil.Scoring.Events;

/// <summary>How one event was judged: risk 0-100, decision, the features behind it, and its largest rolling |z| (0 when unjudged).</summary>
public sealed record EventVerdict(double Risk, string Decision, IReadOnlyList<string> TopFeatures, double ZScore);

/// <summary>
/// Turns scores into one verdict per event. With a model, the model's risk, decision and top features stand; without
/// one, the rolling z-score decides: |z| against the entity's earlier values, for columns with at least
/// <see cref="EventScoringOptions.MinCount"/> of them, the largest over the event's columns. Pure.
/// </summary>
public static class EventVerdicts
{
    public static EventVerdict[] Decide(int events, IReadOnlyList<EntityObservation> observations, IReadOnlyList<ObservationScore> scores,
        EnsembleScores? model, EventScoringOptions options)
    {
        var judged = new List<(string Column, double Z)>[events];
        for (var i = 0; i < observations.Count; i++)
        {
            if (scores[i].PriorCount < options.MinCount) continue;
            (judged[observations[i].Event] ??= []).Add((observations[i].Column, scores[i].Z));
        }
        var verdicts = new EventVerdict[events];
        for (var row = 0; row < events; row++)
        {
            var z = judged[row] is { } list ? list.MaxBy(j => Math.Abs(j.Z)).Z : 0;
            verdicts[row] = model is not null
                ? new EventVerdict(model.Risk[row], model.Decision(row), model.TopFeatures(row), Math.Round(z, 4))
                : ByZScore(z, judged[row], options);
        }
        return verdicts;
    }

    private static EventVerdict ByZScore(double z, List<(string Column, double Z)>? judged, EventScoringOptions options)
    {
        var size = Math.Abs(z);
        var decision = size >= options.BlockZ ? Decisions.Block : size >= options.ReviewZ ? Decisions.Review : Decisions.Approve;
        IReadOnlyList<string> features = judged is null ? [] :
            [.. judged.Where(j => Math.Abs(j.Z) >= options.ReviewZ).OrderByDescending(j => Math.Abs(j.Z)).Take(3).Select(j => j.Column)];
        return new EventVerdict(Math.Round(Math.Min(100, 100 * size / options.BlockZ), 3), decision, features, Math.Round(z, 4));
    }
}
