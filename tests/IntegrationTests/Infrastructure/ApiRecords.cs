namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>The answer to a batch submission (202, or 200 for a duplicate).</summary>
public sealed record AcceptedBatch(Guid RunId, string Dataset, string ObjectKey, bool Duplicate);

/// <summary>A run as GET /api/runs/{id} shows it (the fields the tests read).</summary>
public sealed record Run(
    Guid RunId, string Dataset, string Status, RunFailure? Failure, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt,
    string? ObjectKey, long? RowCount, long? AnomalyCount, string? ModelVersion, IReadOnlyDictionary<string, string> Reports, IReadOnlyList<RunStage> Stages)
{
    public RunValidation? Validation { get; init; }

    public IReadOnlyDictionary<string, long>? DecisionCounts { get; init; }

    /// <summary>Where the run was scored (a device), or why it was not ("not scored: ...").</summary>
    public string? Device { get; init; }

    public DateOnly? ExecutionDate { get; init; }

    public double? DurationMs { get; init; }

    public long? SizeBytes { get; init; }

    /// <summary>The source object of a reconciliation run (<see cref="ObjectKey"/> is its target).</summary>
    public string? SourceObjectKey { get; init; }

    /// <summary>The run's completion callback and how its delivery went; null when none was asked for.</summary>
    public RunCallback? Callback { get; init; }

    public RunLinks? Links { get; init; }

    public bool IsOver => Status is "completed" or "failed";

    public RunStage Stage(string name) => Stages.Single(s => s.Stage == name);
}

public sealed record RunFailure(string? Stage, string? Reason);

public sealed record RunStage(string Stage, string Status, double DurationMs, long? Rows, string? Detail)
{
    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset CompletedAt { get; init; }

    public double? RowsPerSecond { get; init; }

    public long? PeakMemoryBytes { get; init; }
}

/// <summary>A run's completion callback as the run shows it.</summary>
public sealed record RunCallback(string Url, string State, int Attempts, int? LastStatusCode, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt);

/// <summary>Where to go from a run: itself, its OpenLineage events, its dataset's lineage graph and KPI history, each report.</summary>
public sealed record RunLinks(string Self, string Events, string Lineage, string History, IReadOnlyDictionary<string, string> Reports);

/// <summary>What validation concluded, as the run shows it.</summary>
public sealed record RunValidation(double? DqScore, IReadOnlyDictionary<string, double> DqDimensions, int RulesFailed, int RulesChecked, IReadOnlyList<string> Drift)
{
    public int DatasetVersion { get; init; }

    /// <summary>The counts of a source/target run (a reconciliation or a pull with a source); null for a single batch.</summary>
    public Contracts.ReconciliationSummary? Reconciliation { get; init; }
}

/// <summary>A page of GET /api/runs.</summary>
public sealed record RunPage(IReadOnlyList<Run> Items, int Limit, int Offset, long Total);

/// <summary>One anomaly of a run, and a page of them (GET /api/runs/{id}/anomalies).</summary>
public sealed record Anomaly(long Row, int ModelVersion, IReadOnlyDictionary<string, string?> Key, double Risk, string Decision, IReadOnlyList<string> TopFeatures);

public sealed record AnomalyPage(IReadOnlyList<Anomaly> Items, long Total, int Limit, int Offset);

/// <summary>A problem+json answer.</summary>
public sealed record Problem(string? Type, string? Title, int Status, string? Detail);

/// <summary>The validation report (GET /api/runs/{id}/reports/validation), the parts the tests read.</summary>
public sealed record ValidationReport(Guid RunId, string Dataset, string Outcome, long RowCount, ValidationRules Rules)
{
    public IReadOnlyDictionary<string, RuleResult> RulesByName => Rules.Results.ToDictionary(r => r.Name);
}

public sealed record ValidationRules(IReadOnlyList<RuleResult> Results);

/// <summary>One rule's result; each sample is the failing record as the report shows it.</summary>
public sealed record RuleResult(string Name, bool Passed, long FailingRows, string? Message, IReadOnlyList<System.Text.Json.JsonElement> Samples);
