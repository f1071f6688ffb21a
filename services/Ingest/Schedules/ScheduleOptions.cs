namespace Vigil.Ingest.Schedules;

/// <summary>The scheduler's settings (section <c>Ingest:Schedules</c>).</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Ingest:Schedules";

    /// <summary>Off: no scheduled tick acts on this replica (backfills still run).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the acting replica looks for due ticks (and re-reads the dataset definitions).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the scheduler lease lasts without renewal; another replica takes over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most intervals one backfill may run.</summary>
    public int MaxBackfillIntervals { get; set; } = 100;

    /// <summary>How long one call to Scoring's train endpoint may take.</summary>
    public TimeSpan TrainTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
