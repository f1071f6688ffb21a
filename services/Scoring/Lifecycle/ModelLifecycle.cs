using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Lifecycle;

/// <summary>
/// What happens after a batch is scored: each scoring's facts go into the daily performance table; feature drift above
/// the dataset's PSI threshold triggers a retraining (once per period); a version under test that shadow-scored the
/// batch is promoted when the dataset's promotion policy holds, or stays in testing with the reason. Every step it takes
/// is an event. Safe to run twice on the same run (a redelivered batch).
/// </summary>
public sealed partial class ModelLifecycle(LifecycleStore lifecycle, ScoringStore store, ModelRegistry models, Retrainer retrainer, ILogger<ModelLifecycle> logger)
{
    public async Task AfterScoringAsync(string dataset, Guid runId, ScoringTimings? timings, CancellationToken cancellationToken)
    {
        var scores = await store.ScoresAsync(runId, cancellationToken);
        foreach (var score in scores)
        {
            var thresholds = score.ModelVersion == 0
                ? BatchFallbackScorer.Thresholds
                : (await models.FindAsync(dataset, score.ModelVersion, cancellationToken))?.Thresholds ?? BatchFallbackScorer.Thresholds;
            await lifecycle.SaveScoringAsync(new ScoringFact(runId, score.ModelVersion, dataset, score.Role, score.DecisionCounts.Values.Sum(),
                score.DecisionCounts.GetValueOrDefault(Decisions.Review), score.DecisionCounts.GetValueOrDefault(Decisions.Block),
                timings?.Milliseconds(score.ModelVersion), thresholds.Review, thresholds.Block,
                score.FeatureDrift.Count == 0 ? null : score.FeatureDrift.Values.Max()), cancellationToken);
        }
        var policy = await lifecycle.PolicyAsync(dataset, cancellationToken);
        if (scores.FirstOrDefault(s => s.Role == "primary") is { ModelVersion: > 0 } primary && policy.DriftRetrain)
            await CheckDriftAsync(dataset, runId, primary, policy, cancellationToken);
        if (policy.AutoPromote)
        {
            foreach (var shadow in scores.Where(s => s.Role == "shadow"))
                await ConsiderPromotionAsync(dataset, runId, shadow.ModelVersion, policy, cancellationToken);
        }
    }

    private async Task CheckDriftAsync(string dataset, Guid runId, ScoreRecord primary, LifecyclePolicy policy, CancellationToken cancellationToken)
    {
        if (DriftCheck.Find(primary.FeatureDrift, policy.PsiThreshold, primary.ModelVersion) is not { } drift) return;
        var details = new { drifted = drift.Drifted.ToDictionary(d => d.Key, d => d.Value), policy.PsiThreshold, policy.RetrainDays };
        if (await lifecycle.TryClaimRetrainAsync(dataset, runId, primary.ModelVersion, drift.Reason, details,
                TimeSpan.FromHours(policy.MinHoursBetweenRetrains), cancellationToken) is null)
            return;
        LogRetrainTriggered(logger, dataset, drift.Reason);
        retrainer.Enqueue(new RetrainRequest(dataset, policy.RetrainDays, runId));
    }

    private async Task ConsiderPromotionAsync(string dataset, Guid runId, int version, LifecyclePolicy policy, CancellationToken cancellationToken)
    {
        if ((await store.ModelsAsync(dataset, cancellationToken)).FirstOrDefault(m => m.Version == version) is not { Status: "testing" }) return;
        var verdict = PromotionPolicy.Evaluate(policy, await lifecycle.ShadowBatchesAsync(dataset, version, cancellationToken));
        if (verdict.Promote)
        {
            if (await lifecycle.PromoteIfTestingAsync(dataset, version, runId, verdict.Reason, cancellationToken))
                LogPromoted(logger, dataset, version, verdict.Reason);
            return;
        }
        // The same verdict again (a redelivery, or one more batch short of the count with the same figures) is not repeated.
        if (await lifecycle.LastEventAsync(dataset, version, cancellationToken) is (ModelEventKinds.KeptInTesting, var last) && last == verdict.Reason) return;
        await lifecycle.AddEventAsync(dataset, ModelEventKinds.KeptInTesting, version, runId, verdict.Reason, null, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Retraining {Dataset}: {Reason}")]
    private static partial void LogRetrainTriggered(ILogger logger, string dataset, string reason);

    [LoggerMessage(LogLevel.Information, "Promoted {Dataset} v{Version} by its policy: {Reason}")]
    private static partial void LogPromoted(ILogger logger, string dataset, int version, string reason);
}
