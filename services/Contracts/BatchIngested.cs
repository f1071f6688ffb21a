namespace Vigil.Contracts;

/// <summary>
/// A batch was accepted and its raw bytes stored in the object store under <see cref="ObjectKey"/>. For a
/// reconciliation the batch is the target and <see cref="ReconciliationSource"/> names the source.
/// </summary>
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
    public StoredObject? ReconciliationSource { get; init; }

    /// <summary>Where to POST the signed run summary when the run ends (Lineage sends it); null for none.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>
    /// 0 when the batch is announced the first time; n when Ingest announced it again for the n-th time because the run
    /// had made no progress (a message lost or stranded on the way). Every stage is idempotent on the run id.
    /// </summary>
    public int Redrive { get; init; }
}

/// <summary>An object in the object store and how to read it.</summary>
public sealed record StoredObject(string ObjectKey, string ContentType, long SizeBytes);
