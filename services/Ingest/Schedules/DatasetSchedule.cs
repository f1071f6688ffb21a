using System.Text.Json;
using Vigil.Ingest.Pulls;
using Vigil.ServiceDefaults.Schedules;

namespace Vigil.Ingest.Schedules;

/// <summary>
/// A dataset's schedules as its definition states them (the <c>schedule</c> section, checked by Validation at
/// registration): a pull clock with the pull plan it runs, and a retraining clock with how many runs it trains on.
/// </summary>
public sealed record DatasetSchedule(string Dataset, CronSchedule? Pull, PullPlan? Plan, CronSchedule? Retrain, int RetrainLastRuns)
{
    public const int DefaultLastRuns = 10;

    public CronSchedule? For(string kind) => kind == ScheduleKinds.Pull ? Pull : kind == ScheduleKinds.Retrain ? Retrain : null;

    /// <summary>The schedules in a definition; null when it has none. A clock that does not parse (an old definition) is left out.</summary>
    public static DatasetSchedule? FromDefinition(string dataset, JsonElement definition)
    {
        if (!definition.TryGetProperty("schedule", out var schedule) || schedule.ValueKind != JsonValueKind.Object) return null;
        var plan = PullPlan.FromDefinition(definition);
        var pull = Clock(schedule, "pull", out _);
        var retrain = Clock(schedule, "retrain", out var retrainElement);
        var lastRuns = retrainElement is { } r && r.TryGetProperty("lastRuns", out var n) && n.TryGetInt32(out var count) ? count : DefaultLastRuns;
        if (plan is null) pull = null; // nothing to pull: Validation refuses this, an old copy may still say it
        return pull is null && retrain is null ? null : new DatasetSchedule(dataset, pull, plan, retrain, lastRuns);
    }

    private static CronSchedule? Clock(JsonElement schedule, string name, out JsonElement? element)
    {
        element = null;
        if (!schedule.TryGetProperty(name, out var clock) || clock.ValueKind != JsonValueKind.Object) return null;
        element = clock;
        return CronSchedule.TryParse(Text(clock, "cron"), Text(clock, "timeZone"), out _);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
