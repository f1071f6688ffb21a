namespace Vigil.Ingest.Storage;

/// <summary>A row of ingest.runs.</summary>
public sealed record RunRecord(Guid RunId, string Dataset, DateOnly ExecutionDate, string ContentType, string ContentSha256,
    long SizeBytes, string ObjectKey, string Status, DateTimeOffset CreatedAt);
