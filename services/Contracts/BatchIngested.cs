namespace Vigil.Contracts;

/// <summary>A batch was accepted and its raw bytes stored in the object store under <see cref="ObjectKey"/>.</summary>
public sealed record BatchIngested : IRunEvent
{
    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required DateOnly ExecutionDate { get; init; }
    public required string ObjectKey { get; init; }
    public required string ContentType { get; init; }
    public required long SizeBytes { get; init; }
    public required string ContentSha256 { get; init; }
    public required StageTiming Timing { get; init; }
}
