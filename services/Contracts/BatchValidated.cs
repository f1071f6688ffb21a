namespace Vigil.Contracts;

/// <summary>A batch parsed and passed validation; the report lives under <see cref="ReportKey"/>.</summary>
public sealed record BatchValidated : IRunEvent
{
    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required DateOnly ExecutionDate { get; init; }
    public required string ObjectKey { get; init; }
    public required long RowCount { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required string ReportKey { get; init; }
    public required StageTiming Timing { get; init; }
}
