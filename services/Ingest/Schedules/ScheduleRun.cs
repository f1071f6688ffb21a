namespace Vigil.Ingest.Schedules;

/// <summary>
/// What one tick came to: <c>accepted</c> (a new run), <c>unchanged</c> (the pull read what an existing run of that
/// execution date already holds, so that run stands) or <c>failed</c> (with the reason). A retraining tick names the
/// model version it trained.
/// </summary>
public sealed record ScheduleRun(
    Guid Id, string Dataset, string Kind, DateTimeOffset Tick, DateOnly ExecutionDate, string Trigger, string Outcome,
    Guid? RunId, int? ModelVersion, string? Reason, Guid? SupersededBy, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    public const string Accepted = "accepted";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
}
