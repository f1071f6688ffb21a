namespace Vigil.Contracts;

/// <summary>
/// A batch went through anomaly scoring. <see cref="Device"/> says what scored it (GPU name and memory, or CPU);
/// <see cref="DecisionCounts"/> counts records per decision (approve / review / block).
/// </summary>
public sealed record BatchScored : IRunEvent
{
    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required DateOnly ExecutionDate { get; init; }
    public required long RowCount { get; init; }
    public required long AnomalyCount { get; init; }
    public string? ReportKey { get; init; }
    public string? ModelVersion { get; init; }
    public required string Device { get; init; }
    public required StageTiming Timing { get; init; }

    public IReadOnlyDictionary<string, long> DecisionCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>The highest-risk records (a handful), with the features that made them stand out.</summary>
    public IReadOnlyList<ScoredAnomaly> TopAnomalies { get; init; } = [];

    /// <summary>Population stability index per feature against the model's training reference.</summary>
    public IReadOnlyDictionary<string, double> FeatureDrift { get; init; } = new Dictionary<string, double>();

    /// <summary>The validation facts of the run, carried on so alerting sees them in one message.</summary>
    public double? DqScore { get; init; }
    public int RulesFailed { get; init; }
    public bool HasBreakingDrift { get; init; }
    public IReadOnlyDictionary<string, string> ReportKeys { get; init; } = new Dictionary<string, string>();
}

/// <summary>One anomalous record: its key values, risk 0-100, decision and top contributing features.</summary>
public sealed record ScoredAnomaly(long Row, IReadOnlyDictionary<string, string?> Key, double Risk, string Decision, IReadOnlyList<string> TopFeatures);

/// <summary>Decision names used in <see cref="BatchScored.DecisionCounts"/> and anomalies.</summary>
public static class Decisions
{
    public const string Approve = "approve";
    public const string Review = "review";
    public const string Block = "block";
}
