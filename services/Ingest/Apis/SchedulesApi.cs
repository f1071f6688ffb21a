using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;
using Vigil.Ingest.Schedules;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Apis;

public static class SchedulesApi
{
    /// <summary>How many upcoming ticks and recent tick records GET .../schedule shows.</summary>
    public const int UpcomingTicks = 5;
    public const int RecentRuns = 50;

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}").WithTags("Schedules");
        api.MapGet("schedule", GetSchedule).WithName("GetSchedule")
            .WithSummary("The dataset's schedules (pull, retrain): cron, time zone, last tick acted on, next ticks, and what the latest ticks and backfills came to.");
        api.MapPost("backfills", Backfill).WithName("Backfill")
            .WithSummary("Run the pull schedule once per interval in [from, to): one pull per tick, execution date = the tick's date; a tick already run is run again and supersedes its earlier run.");
        return app;
    }

    public sealed record ClockView(string Cron, string TimeZone, DateTimeOffset? LastTick, IReadOnlyList<DateTimeOffset> NextTicks, int? LastRuns);

    public sealed record ScheduleView(string Dataset, ClockView? Pull, ClockView? Retrain, IReadOnlyList<ScheduleRun> Runs);

    public sealed record BackfillRequest(DateTimeOffset? From, DateTimeOffset? To);

    public sealed record BackfillView(string Dataset, int Intervals, IReadOnlyList<ScheduleRun> Runs);

    public static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetSchedule(
        string name, DatasetCatalog catalog, ScheduleStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (schedule, problem) = await FindScheduleAsync(name, catalog, cancellationToken);
        if (problem is not null) return problem;
        var last = await store.LastTicksAsync(name, cancellationToken);
        var now = clock.GetUtcNow();
        ClockView? View(string kind, int? lastRuns) => schedule?.For(kind) is { } cron
            ? new ClockView(cron.Cron, cron.Zone.Id, last.TryGetValue(kind, out var t) ? t : null, cron.Upcoming(now, UpcomingTicks), lastRuns)
            : null;
        return TypedResults.Ok(new ScheduleView(name, View(ScheduleKinds.Pull, null), View(ScheduleKinds.Retrain, schedule?.RetrainLastRuns),
            await store.RecentAsync(name, RecentRuns, cancellationToken)));
    }

    public static async Task<Results<Ok<BackfillView>, ProblemHttpResult>> Backfill(
        string name, BackfillRequest? request, DatasetCatalog catalog, TickRunner ticks, IOptions<ScheduleOptions> options, CancellationToken cancellationToken)
    {
        if (request?.From is not { } from || request.To is not { } to)
            return ApiProblem.BadRequest("Invalid backfill range", "Give 'from' and 'to' (ISO 8601 times, e.g. 2026-11-01T00:00:00Z): one pull runs per scheduled tick in [from, to).");
        if (from >= to)
            return ApiProblem.BadRequest("Invalid backfill range", $"'from' ({from:O}) must be before 'to' ({to:O}).");
        var (schedule, problem) = await FindScheduleAsync(name, catalog, cancellationToken);
        if (problem is not null) return problem;
        if (schedule?.Pull is not { } cron)
            return ApiProblem.BadRequest("No pull schedule", $"Dataset '{name}' has no pull schedule (schedule.pull with a pull section) to backfill.");
        var limit = options.Value.MaxBackfillIntervals;
        var due = cron.Between(from, to, limit);
        if (due.Count > limit)
            return ApiProblem.BadRequest("Backfill too large",
                $"[{from:O}, {to:O}) holds more than {limit} ticks of '{cron.Cron}' ({cron.Zone.Id}); the limit is {limit} intervals per backfill (Ingest:Schedules:MaxBackfillIntervals): split the range.");

        var runs = new List<ScheduleRun>(due.Count);
        foreach (var tick in due) runs.Add(await ticks.RunAsync(schedule, ScheduleKinds.Pull, tick, "backfill", cancellationToken));
        return TypedResults.Ok(new BackfillView(name, due.Count, runs));
    }

    private static async Task<(DatasetSchedule? Schedule, ProblemHttpResult? Problem)> FindScheduleAsync(string name, DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(name, null, catalog, cancellationToken) is { } problem) return (null, problem);
        var definition = await catalog.FindDefinitionAsync(name, cancellationToken);
        return (definition is { } d ? DatasetSchedule.FromDefinition(name, d) : null, null);
    }
}
