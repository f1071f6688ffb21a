using System.Text.Json;

namespace Vigil.Dashboard.Api;

// What the dashboard reads of Vigil's public API: only the fields it shows. The services own these shapes; the
// dashboard tolerates extra fields and missing optional ones.

public sealed record DatasetInfo(string Name, int Version, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record RunFailure(string? Stage, string? Reason);

public sealed record StageInfo(string Stage, string Status, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, double DurationMs,
    long? Rows, double? RowsPerSecond, long? PeakMemoryBytes, string? Detail);

public sealed record ReconciliationCounts(long SourceRows, long TargetRows, long MissingInTarget, long UnexpectedInTarget,
    long DuplicateKeysInSource, long DuplicateKeysInTarget, long ChangedRecords, long NullsIntroduced, double ConsistencyScore);

public sealed record ValidationInfo(double? DqScore, IReadOnlyDictionary<string, double>? DqDimensions, int RulesFailed, int RulesChecked,
    IReadOnlyList<string>? Drift, ReconciliationCounts? Reconciliation, int DatasetVersion);

public sealed record RunInfo(Guid RunId, string Dataset, DateOnly? ExecutionDate, string Status, RunFailure? Failure,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, double? DurationMs, long? RowCount, long? AnomalyCount, string? Device,
    string? ModelVersion, IReadOnlyDictionary<string, string>? Reports, IReadOnlyList<StageInfo>? Stages, ValidationInfo? Validation,
    IReadOnlyDictionary<string, long>? DecisionCounts);

public sealed record RunPage(IReadOnlyList<RunInfo> Items, int Limit, int Offset, long Total);

public sealed record HistoryPoint(Guid RunId, DateOnly? ExecutionDate, string Status, double? DqScore, long? RowCount, long? AnomalyCount,
    double? AnomalyRate, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

public sealed record DatasetHistory(string Dataset, IReadOnlyList<HistoryPoint> Points);

public sealed record Anomaly(long Row, int ModelVersion, IReadOnlyDictionary<string, string?> Key, double Risk, string Decision, IReadOnlyList<string> TopFeatures);

public sealed record AnomalyPage(IReadOnlyList<Anomaly> Items, long Total, int Limit, int Offset);

public sealed record ScoringInfo(Guid RunId, int ModelVersion, string Role, IReadOnlyDictionary<string, long> DecisionCounts, long AnomalyCount,
    IReadOnlyDictionary<string, double>? FeatureDrift);

public sealed record ModelInfo(string Dataset, int Version, string Status, JsonElement Metrics, Guid TrainedFrom, IReadOnlyList<Guid>? TrainedFromRuns,
    DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt);

public sealed record EventAnomaly(Guid BatchId, int EventIndex, IReadOnlyDictionary<string, string?> Key, string? Entity, double Risk, string Decision,
    IReadOnlyList<string> TopFeatures, double ZScore, int ModelVersion, DateTimeOffset AcceptedAt, DateTimeOffset ScoredAt);

public sealed record EventAnomalyPage(string Dataset, DateTimeOffset Since, IReadOnlyList<EventAnomaly> Items);

public sealed record EventStats(long Batches, long Events, long Anomalies);

public sealed record AlertDelivery(string Channel, JsonElement Kind, string Status, int Attempts, string? LastError, DateTimeOffset? SentAt);

public sealed record AlertCondition(string Kind, string Key, JsonElement Severity, string Detail);

public sealed record AlertInfo(Guid Id, Guid RunId, string Dataset, string PolicyName, string Trigger, JsonElement Severity, string Status,
    DateTimeOffset CreatedAt, int SuppressedSinceLast, IReadOnlyList<AlertCondition>? Conditions, IReadOnlyList<AlertDelivery>? Deliveries);

public sealed record DeadLetterInfo(Guid AlertId, string Channel, Guid RunId, string Dataset, string Target, string Error, int Attempts, DateTimeOffset FailedAt);

public sealed record StuckRunInfo(Guid RunId, string Dataset, DateOnly? ExecutionDate, DateTimeOffset? StartedAt, DateTimeOffset StuckAt,
    DateTimeOffset? EndedAt, string Status);

public sealed record PolicyInfo(Guid Id, string Dataset, string Name, bool Enabled, string ThrottleWindow, JsonElement Conditions, JsonElement Channels);

/// <summary>The validation report (validation.json) as far as the run page shows it.</summary>
public sealed record ValidationReport(string Outcome, long RowCount, RuleReportInfo? Rules, DriftReportInfo? Drift, ReconciliationReport? Reconciliation);

public sealed record RuleReportInfo(IReadOnlyList<RuleResultInfo> Results);

public sealed record RuleResultInfo(string Name, JsonElement Kind, IReadOnlyList<string> Columns, JsonElement Severity, bool Passed, long FailingRows,
    long CheckedRows, IReadOnlyList<RuleSampleInfo>? Samples, string Message);

public sealed record RuleSampleInfo(long Row, IReadOnlyDictionary<string, string?> Keys, IReadOnlyDictionary<string, string?> Values);

public sealed record DriftReportInfo(IReadOnlyList<DriftFindingInfo> Findings);

public sealed record DriftFindingInfo(JsonElement Kind, string Column, string Detail, bool Breaking);

public sealed record ReconciliationReport(int SourceRows, int TargetRows, int MatchedKeys, int MissingInTarget, int UnexpectedInTarget,
    int DuplicateKeysInSource, int DuplicateKeysInTarget, int ChangedRecords, IReadOnlyDictionary<string, int>? ChangedValuesByColumn,
    IReadOnlyDictionary<string, int>? NullsIntroducedByColumn, double ConsistencyScore, bool Passed);

public sealed record LineageNode(string Id, string Name, int Hops);

public sealed record LineageSide(IReadOnlyList<LineageNode> Datasets, IReadOnlyList<LineageNode> Jobs);

public sealed record LineageEdge(string From, string To);

public sealed record LineageGraph(LineageNode Dataset, LineageSide Upstream, LineageSide Downstream, IReadOnlyList<LineageEdge> Edges);

/// <summary>A dataset's schema baseline as validation answers it after an accept or a reset.</summary>
public sealed record SchemaBaselineInfo(string Dataset, int Version, string Origin, Guid? RunId, DateTimeOffset? AcceptedAt, string? Description);

/// <summary>One of a service's error queues (messages whose retries ran out) and how many messages wait in it.</summary>
public sealed record DeadLetterQueueInfo(string Queue, string ErrorQueue, long Messages);

/// <summary>How many dead-lettered messages a replay moved back to their queue.</summary>
public sealed record ReplayInfo(string Queue, int Replayed);
