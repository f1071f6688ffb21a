namespace Vigil.Ingest.Events;

/// <summary>Streaming event intake (section <c>Ingest:Events</c>).</summary>
public sealed class EventsOptions
{
    public const string Section = "Ingest:Events";

    /// <summary>A micro-batch is published once it holds this many events...</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>...or once its oldest event has waited this long, whichever comes first.</summary>
    public int MaxDelayMs { get; set; } = 20;

    /// <summary>Events held in memory waiting for their micro-batch's publish; above it requests get 429.</summary>
    public int MaxPendingEvents { get; set; } = 50_000;

    /// <summary>Micro-batches published at once (each awaits the broker's confirm).</summary>
    public int MaxConcurrentPublishes { get; set; } = 4;

    /// <summary>Largest request body; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most events in one request; more get 413.</summary>
    public int MaxEventsPerRequest { get; set; } = 10_000;

    /// <summary>The scoring consumer's queue, whose depth is the backpressure signal.</summary>
    public string ScoringQueue { get; set; } = "scoring-events-accepted";

    /// <summary>Ready micro-batches in <see cref="ScoringQueue"/> above which requests get 429.</summary>
    public int MaxQueuedBatches { get; set; } = 200;

    /// <summary>How often the queue depth is read from the broker.</summary>
    public int QueueDepthPollMs { get; set; } = 250;

    /// <summary>Retry-After given with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long a dataset's required fields are remembered before its definition is read again.</summary>
    public int DefinitionCacheSeconds { get; set; } = 30;
}
