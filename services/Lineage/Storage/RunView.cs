using Vigil.Contracts;

namespace Vigil.Lineage.Storage;

/// <summary>A run as <c>GET /api/runs/{id}</c> shows it.</summary>
public sealed record RunView(
    Guid RunId, string Dataset, DateOnly? ExecutionDate, string Status, RunFailure? Failure,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, double? DurationMs,
    string? ObjectKey, long? SizeBytes, long? RowCount, long? AnomalyCount, string? Device, string? ModelVersion,
    IReadOnlyDictionary<string, string> Reports, IReadOnlyList<StageView> Stages)
{
    public ValidationFacts? Validation { get; init; }
}

public sealed record RunFailure(string? Stage, string? Reason);

/// <summary>One stage of a run with its timing; rows/s is derived from rows and duration.</summary>
public sealed record StageView(string Stage, string Status, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, double DurationMs,
    long? Rows, double? RowsPerSecond, long? PeakMemoryBytes, string? Detail);

public sealed record RunPage(IReadOnlyList<RunView> Items, int Limit, int Offset, long Total);
