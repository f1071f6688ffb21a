namespace Vigil.Ingest.Intake;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest batch body accepted; larger uploads get 413.</summary>
    public long MaxBatchBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How long an Idempotency-Key keeps answering with the run it created.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Where uploads are spooled while their hash is computed (defaults to the system temp folder).</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>How long one side of a pull may take to read before it is stopped and the pull refused.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
