using System.Text.Json;

namespace Vigil.Scoring.Lifecycle;

/// <summary>An automatic step of the retraining loop (or a policy change), as <c>GET .../models/events</c> lists it.</summary>
public sealed record ModelEvent(long Id, string Dataset, string Kind, int? Version, Guid? RunId, string Reason, JsonElement Details, DateTimeOffset At);

public static class ModelEventKinds
{
    public const string RetrainTriggered = "retrain_triggered";
    public const string Retrained = "retrained";
    public const string RetrainFailed = "retrain_failed";
    public const string Promoted = "promoted";
    public const string KeptInTesting = "kept_in_testing";
    public const string PolicyChanged = "policy_changed";
}

/// <summary>One scoring of a run by one model version, the unit the daily performance table is summed from.</summary>
public sealed record ScoringFact(Guid RunId, int ModelVersion, string Dataset, string Role, long Rows, long Review, long Block, double? LatencyMs,
    double ReviewThreshold, double BlockThreshold, double? MaxPsi);

/// <summary>
/// One day of one model version on a dataset: how many records it scored (predictions) and flagged, what reviewers'
/// feedback says of its verdicts, how long a batch took to score, and the thresholds it used.
/// </summary>
public sealed record DailyPerformance(DateOnly Day, int ModelVersion, IReadOnlyList<string> Roles, long Runs, long Predictions, long Review, long Block,
    long ConfirmedAnomalies, long FalseAlarms, long MissedAnomalies, double? Precision, double? Recall, double? LatencyAvgMs, double? LatencyMaxMs,
    double ReviewThreshold, double BlockThreshold);
