namespace Vigil.Contracts;

/// <summary>When a stage started and finished, and how many rows it handled (null when it did not read rows).</summary>
public sealed record StageTiming(string Stage, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, long? Rows = null, long? PeakMemoryBytes = null);
