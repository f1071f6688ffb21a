namespace Vigil.Scoring.Events;

/// <summary>An anomalous event as stored and served: its key values, entity, verdict and the times it went through.</summary>
public sealed record EventAnomalyRecord(
    Guid BatchId, int EventIndex, IReadOnlyDictionary<string, string?> Key, string? Entity, double Risk, string Decision,
    IReadOnlyList<string> TopFeatures, double ZScore, int ModelVersion, DateTimeOffset AcceptedAt, DateTimeOffset ScoredAt,
    DateTimeOffset? PersistedAt = null);

/// <summary>One scored micro-batch: how many events, how many anomalous, and the span of its accept times.</summary>
public sealed record EventBatchRecord(
    Guid BatchId, string Dataset, int EventCount, int AnomalyCount, int ModelVersion,
    DateTimeOffset FirstAcceptedAt, DateTimeOffset LastAcceptedAt, DateTimeOffset ScoredAt);

/// <summary>Percentiles of a latency in milliseconds.</summary>
public sealed record LatencyPercentiles(double P50, double P95, double P99, double Max);

/// <summary>What was scored of a dataset's stream since a moment: counts, and accept-to-persisted latency.</summary>
/// <param name="EventLatencyMs">Per event, bounded from above: each event counts its micro-batch's earliest accept time.</param>
/// <param name="AnomalyLatencyMs">Per anomaly, exact: its own accept time to the moment its row was written.</param>
public sealed record EventStreamStats(long Batches, long Events, long Anomalies, LatencyPercentiles? EventLatencyMs, LatencyPercentiles? AnomalyLatencyMs);
