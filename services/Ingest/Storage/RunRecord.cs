namespace Vigil.Ingest.Storage;

/// <summary>A row of ingest.runs.</summary>
public sealed record RunRecord(Guid RunId, string Dataset, DateOnly ExecutionDate, string ContentType, string ContentSha256,
    long SizeBytes, string ObjectKey, string Status, DateTimeOffset CreatedAt)
{
    /// <summary>The source batch of a reconciliation run (<see cref="ObjectKey"/> is then its target).</summary>
    public string? SourceObjectKey { get; init; }
}
