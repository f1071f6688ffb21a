using Vigil.ServiceDefaults.Schedules;

namespace Vigil.Validation.Datasets;

/// <summary>
/// When a dataset runs by itself (Ingest's scheduler acts on it): a pull on a clock, and a retraining on a clock.
/// Either may be left out.
/// </summary>
public sealed record DatasetSchedule(ScheduleClock? Pull = null, RetrainClock? Retrain = null)
{
    /// <summary>Most validated runs one scheduled retraining reads (Scoring's limit for one training).</summary>
    public const int MaxTrainingRuns = 20;

    public IEnumerable<string> Problems(bool hasPull)
    {
        if (Pull is null && Retrain is null) yield return "schedule needs 'pull', 'retrain' or both.";
        if (Pull is not null)
        {
            if (!hasPull) yield return "schedule.pull needs the dataset's 'pull' section (what to read): add it, or drop the pull schedule.";
            if (CronSchedule.TryParse(Pull.Cron, Pull.TimeZone, out var problem) is null) yield return $"schedule.pull: {problem}";
        }
        if (Retrain is not null)
        {
            if (CronSchedule.TryParse(Retrain.Cron, Retrain.TimeZone, out var problem) is null) yield return $"schedule.retrain: {problem}";
            if (Retrain.LastRuns is < 1 or > MaxTrainingRuns)
                yield return $"schedule.retrain.lastRuns must be between 1 and {MaxTrainingRuns}; got {Retrain.LastRuns}.";
        }
    }
}

/// <summary>A cron expression (5 fields, or 6 with seconds first) and the IANA time zone it is read in (default UTC).</summary>
public record ScheduleClock(string Cron, string? TimeZone = null);

/// <summary>A retraining clock: each tick trains a new version (status testing) on the dataset's last validated runs.</summary>
public sealed record RetrainClock(string Cron, string? TimeZone = null, int LastRuns = 10) : ScheduleClock(Cron, TimeZone);
