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

    /// <summary>The source object of a reconciliation run (<see cref="ObjectKey"/> is its target).</summary>
    public string? SourceObjectKey { get; init; }

    /// <summary>Records per scoring decision (approve / review / block).</summary>
    public IReadOnlyDictionary<string, long>? DecisionCounts { get; init; }

    /// <summary>The run's completion callback and how its delivery went; null when none was asked for.</summary>
    public Callbacks.CallbackView? Callback { get; init; }

    public RunLinks Links => RunLinks.For(RunId, Dataset, Reports.Keys);
}

public sealed record RunFailure(string? Stage, string? Reason);

/// <summary>
/// One stage of a run with its timing; rows/s is derived from rows and duration. Ingest does not parse its batch, so
/// its rows are the run's row count once validation has counted them.
/// </summary>
public sealed record StageView(string Stage, string Status, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, double DurationMs,
    long? Rows, double? RowsPerSecond, long? PeakMemoryBytes, string? Detail)
{
    public static StageView Create(string stage, string status, DateTimeOffset startedAt, DateTimeOffset completedAt, long? rows, long? runRows,
        long? peakMemoryBytes, string? detail)
    {
        var durationMs = (completedAt - startedAt).TotalMilliseconds;
        rows ??= stage == Stages.Ingest ? runRows : null;
        return new StageView(stage, status, startedAt, completedAt, durationMs, rows,
            rows is { } r && durationMs > 0 ? Math.Round(r / (durationMs / 1000), 1) : null, peakMemoryBytes, detail);
    }
}

/// <summary>Where to go from a run: itself, its OpenLineage events, its dataset's lineage graph and KPI history, each report.</summary>
public sealed record RunLinks(string Self, string Events, string Lineage, string History, IReadOnlyDictionary<string, string> Reports)
{
    public static RunLinks For(Guid runId, string dataset, IEnumerable<string> reportKinds) => new(
        $"/api/runs/{runId}", $"/api/lineage/events?runId={runId}", $"/api/lineage/datasets/{dataset}", $"/api/datasets/{dataset}/history",
        reportKinds.Order(StringComparer.Ordinal).ToDictionary(kind => kind, kind => $"/api/runs/{runId}/reports/{Uri.EscapeDataString(kind)}"));
}

public sealed record RunPage(IReadOnlyList<RunView> Items, int Limit, int Offset, long Total);

/// <summary>Filters and paging of <c>GET /api/runs</c>: <see cref="From"/> inclusive, <see cref="To"/> exclusive, both on started_at.</summary>
public sealed record RunQuery(string? Dataset, string? Status, DateTimeOffset? From, DateTimeOffset? To, int Limit, int Offset);
