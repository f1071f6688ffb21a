namespace Vigil.Ingest.Intake;

/// <summary>One spooled upload of a submission: the batch itself, or the source or target of a reconciliation.</summary>
public sealed record BatchPart(string MediaType, string Extension, SpooledBatch Content);

/// <summary>The parts of a submission other than its bytes.</summary>
public sealed record BatchSubmission(string Dataset, DateOnly ExecutionDate, string? IdempotencyKey, bool Rerun)
{
    /// <summary>Where Lineage POSTs the signed run summary when the run ends (already checked by the callback policy).</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>With <see cref="Rerun"/>: the run this one replaces when no live run has the same content (a scheduled tick pulled again).</summary>
    public Guid? Supersedes { get; init; }
}
