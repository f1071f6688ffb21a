using System.Globalization;

namespace Vigil.Scoring.Lifecycle;

/// <summary>Feedback on one run's records as one model version saw them.</summary>
/// <param name="Confirmed">Records the version flagged that reviewers confirmed as anomalies.</param>
/// <param name="FalseAlarms">Records the version flagged that reviewers called false alarms.</param>
/// <param name="Missed">Records reviewers confirmed as anomalies that the version approved.</param>
public sealed record FeedbackCounts(long Confirmed, long FalseAlarms, long Missed)
{
    public static readonly FeedbackCounts None = new(0, 0, 0);

    public long Labelled => Confirmed + FalseAlarms + Missed;

    /// <summary>Confirmed / flagged-and-labelled; null when the version flagged no labelled record.</summary>
    public double? Precision => Confirmed + FalseAlarms == 0 ? null : (double)Confirmed / (Confirmed + FalseAlarms);

    /// <summary>Confirmed / labelled anomalies; null when no record was labelled an anomaly.</summary>
    public double? Recall => Confirmed + Missed == 0 ? null : (double)Confirmed / (Confirmed + Missed);

    public static FeedbackCounts operator +(FeedbackCounts a, FeedbackCounts b) =>
        new(a.Confirmed + b.Confirmed, a.FalseAlarms + b.FalseAlarms, a.Missed + b.Missed);
}

/// <summary>One batch a version under test shadow-scored, with the feedback on it for that version and for the active one.</summary>
public sealed record ShadowBatch(Guid RunId, long Rows, long Flagged, FeedbackCounts Candidate, FeedbackCounts Active);

/// <summary>Whether to promote, and why (either way).</summary>
public sealed record PromotionVerdict(bool Promote, string Reason);

/// <summary>
/// The automatic promotion rule: a version under test is promoted once it has shadow-scored at least
/// <see cref="LifecyclePolicy.MinShadowBatches"/> batches, flags at most <see cref="LifecyclePolicy.FalseAlarmBudget"/>
/// of their rows (records reviewers confirmed as anomalies do not count against it), and, where reviewers labelled
/// records of those batches, its precision and recall are not lower than the active version's on the same records by
/// more than <see cref="LifecyclePolicy.MetricTolerance"/>.
/// </summary>
public static class PromotionPolicy
{
    public static PromotionVerdict Evaluate(LifecyclePolicy policy, IReadOnlyList<ShadowBatch> batches)
    {
        if (batches.Count < policy.MinShadowBatches)
            return new(false, $"{batches.Count} of {policy.MinShadowBatches} shadow-scored batches so far");
        var rows = batches.Sum(b => b.Rows);
        var candidate = batches.Aggregate(FeedbackCounts.None, (sum, b) => sum + b.Candidate);
        var active = batches.Aggregate(FeedbackCounts.None, (sum, b) => sum + b.Active);
        var unconfirmed = Math.Max(0, batches.Sum(b => b.Flagged) - candidate.Confirmed);
        var share = rows == 0 ? 0 : (double)unconfirmed / rows;
        if (share > policy.FalseAlarmBudget)
            return new(false, Text($"flags {share:0.###%} of {rows} shadow-scored rows ({unconfirmed} not confirmed as anomalies), above the false-alarm budget of {policy.FalseAlarmBudget:0.###%}"));
        var figures = Text($"{batches.Count} shadow-scored batches, {share:0.###%} of {rows} rows flagged (budget {policy.FalseAlarmBudget:0.###%})");
        if (candidate.Labelled + active.Labelled == 0) return new(true, $"{figures}; no feedback labels to compare");
        if (Worse(candidate.Precision, active.Precision, policy.MetricTolerance) is { } precision)
            return new(false, $"precision on feedback labels {precision}");
        if (Worse(candidate.Recall, active.Recall, policy.MetricTolerance) is { } recall)
            return new(false, $"recall on feedback labels {recall}");
        return new(true, Text($"{figures}; on {Math.Max(candidate.Labelled, active.Labelled)} feedback labels precision {Show(candidate.Precision)} (active {Show(active.Precision)}), recall {Show(candidate.Recall)} (active {Show(active.Recall)})"));
    }

    /// <summary>How the candidate's figure falls short of the active one's, or null when it does not (or either is undefined).</summary>
    private static string? Worse(double? candidate, double? active, double tolerance)
    {
        if (active is not { } a) return null;
        // The active version has a figure and the candidate none: it flagged no labelled record, so it confirmed none.
        var c = candidate ?? 0;
        return c < a - tolerance - 1e-12 ? Text($"{c:0.###} is below the active version's {a:0.###} (tolerance {tolerance:0.###})") : null;
    }

    private static string Show(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
