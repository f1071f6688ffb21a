namespace Vigil.Ingest.Progress;

/// <summary>When a silent run is announced again (configuration section <c>Ingest:Redrive</c>).</summary>
public sealed class RedriveOptions
{
    public const string Section = "Ingest:Redrive";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a run may go without any sign of progress before it is announced again. Longer than a stage's retry
    /// budget for an outage (about 6 minutes), so a message a stage is still waiting out is not doubled.
    /// </summary>
    public TimeSpan QuietFor { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>How often a run is announced again at most; after that the run deadline (Alerting) fails it.</summary>
    public int MaxRedrives { get; set; } = 3;

    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Queues a run's messages wait in on their way. While any holds messages the pipeline has a backlog, and a silent
    /// run may simply be waiting in line: nothing is announced again then.
    /// </summary>
    public string[] PipelineQueues { get; set; } = ["validation-batch-ingested", "scoring-batch-validated", "ingest-run-progress"];
}
