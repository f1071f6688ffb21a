namespace Vigil.Ingest.Schedules;

/// <summary>What a schedule does on each tick; the names are stored in ingest.schedule_state and schedule_runs.</summary>
public static class ScheduleKinds
{
    /// <summary>Pull the dataset's configured target (and source), execution date = the tick's date in the schedule's zone.</summary>
    public const string Pull = "pull";

    /// <summary>Train a new model version (status testing) on the dataset's last validated runs, through Scoring's train endpoint.</summary>
    public const string Retrain = "retrain";
}
