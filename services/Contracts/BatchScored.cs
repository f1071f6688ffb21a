namespace Vigil.Contracts;

/// <summary>A batch went through anomaly scoring; <see cref="Device"/> says what scored it.</summary>
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
}
