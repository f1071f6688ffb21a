using Vigil.Contracts;

namespace Vigil.Alerting.Policies;

/// <summary>How far a run got when a policy looks at it.</summary>
public enum RunState { Completed, Failed, Stuck }

/// <summary>
/// Everything the policies can look at about one run, taken from the event that ended it (<see cref="BatchScored"/>,
/// <see cref="RunFailed"/>) or from the run tracking when it has been open too long.
/// </summary>
public sealed record RunFacts
{
    /// <summary>Validation's reason prefix when breaking drift blocks a run under the <c>block</c> drift policy.</summary>
    public const string BlockedDriftReasonPrefix = "Breaking schema drift";

    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required RunState State { get; init; }
    public DateOnly? ExecutionDate { get; init; }
    public long? RowCount { get; init; }
    public long? AnomalyCount { get; init; }
    public IReadOnlyDictionary<string, long> DecisionCounts { get; init; } = new Dictionary<string, long>();
    public IReadOnlyList<ScoredAnomaly> TopAnomalies { get; init; } = [];
    public IReadOnlyDictionary<string, double> FeatureDrift { get; init; } = new Dictionary<string, double>();
    public double? DqScore { get; init; }
    public int RulesFailed { get; init; }
    public bool HasBreakingDrift { get; init; }

    /// <summary>Report kind -> object key; links are built from the kinds.</summary>
    public IReadOnlyDictionary<string, string> ReportKeys { get; init; } = new Dictionary<string, string>();
    public string? Device { get; init; }
    public string? ModelVersion { get; init; }
    public string? FailedStage { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>For a stuck run: how long it has been open when the sweeper looked.</summary>
    public TimeSpan? OpenFor { get; init; }

    public static RunFacts FromScored(BatchScored scored)
    {
        var reports = new Dictionary<string, string>(scored.ReportKeys);
        if (scored.ReportKey is { } anomalies) reports.TryAdd(ReportKinds.Anomalies, anomalies);
        return new RunFacts
        {
            RunId = scored.RunId,
            Dataset = scored.Dataset,
            State = RunState.Completed,
            ExecutionDate = scored.ExecutionDate,
            RowCount = scored.RowCount,
            AnomalyCount = scored.AnomalyCount,
            DecisionCounts = scored.DecisionCounts,
            TopAnomalies = scored.TopAnomalies,
            FeatureDrift = scored.FeatureDrift,
            DqScore = scored.DqScore,
            RulesFailed = scored.RulesFailed,
            HasBreakingDrift = scored.HasBreakingDrift,
            ReportKeys = reports,
            Device = scored.Device,
            ModelVersion = scored.ModelVersion,
        };
    }

    /// <summary>A failed run; <paramref name="executionDate"/> and <paramref name="startedAt"/> come from the run tracking when known.</summary>
    public static RunFacts FromFailed(RunFailed failed, DateOnly? executionDate = null, DateTimeOffset? startedAt = null) => new()
    {
        RunId = failed.RunId,
        Dataset = failed.Dataset,
        State = RunState.Failed,
        ExecutionDate = executionDate,
        ReportKeys = failed.ReportKeys,
        FailedStage = failed.Stage,
        FailureReason = failed.Reason,
        HasBreakingDrift = failed.Stage == Stages.Validate && failed.Reason.StartsWith(BlockedDriftReasonPrefix, StringComparison.Ordinal),
        StartedAt = startedAt,
    };

    /// <summary>A run known (from the run tracking) to have completed, when only its identity is at hand.</summary>
    public static RunFacts CompletedLater(Guid runId, string dataset, DateOnly? executionDate) => new()
    {
        RunId = runId,
        Dataset = dataset,
        State = RunState.Completed,
        ExecutionDate = executionDate,
    };

    public static RunFacts Stuck(Guid runId, string dataset, DateOnly? executionDate, DateTimeOffset startedAt, DateTimeOffset now) => new()
    {
        RunId = runId,
        Dataset = dataset,
        State = RunState.Stuck,
        ExecutionDate = executionDate,
        StartedAt = startedAt,
        OpenFor = now - startedAt,
    };
}
