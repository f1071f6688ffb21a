using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Events;

public static class EventsApi
{
    private static readonly string[] DecisionNames = [Decisions.Review, Decisions.Block];
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public sealed record EventAnomalyPage(string Dataset, DateTimeOffset Since, IReadOnlyList<EventAnomalyRecord> Items);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/events").WithTags("Events");
        api.MapGet("anomalies", ListEventAnomalies).WithName("ListEventAnomalies")
            .WithSummary("Anomalous streamed events persisted after 'since' (default: the last hour), newest first, with risk, decision, z-score and top features.");
        api.MapGet("scores.csv", DownloadEventScores).WithName("DownloadEventScores")
            .WithSummary("Every streamed event's score persisted after 'since' (default: the last hour), oldest first, as CSV: key columns, risk, decision, z-score, model version, top features; limit<=100000.");
        api.MapGet("stats", EventStreamStats).WithName("EventStreamStats")
            .WithSummary("Micro-batches, events and anomalies scored after 'since', with accept-to-persisted latency percentiles.");
        return app;
    }

    /// <summary>The dataset and query of GET /api/datasets/{name}/events/anomalies.</summary>
    public sealed record EventAnomalyQuery(
        [FromRoute(Name = "name")] string Name,
        [FromQuery(Name = "since")] string? Since = null,
        [FromQuery(Name = "decision")] string? Decision = null,
        [FromQuery(Name = "limit")] int Limit = 100);

    public static async Task<Results<Ok<EventAnomalyPage>, ProblemHttpResult>> ListEventAnomalies(
        [AsParameters] EventAnomalyQuery query, EventAnomalyStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (name, since, decision, limit) = query;
        if (Check(name, since, clock, out var from) is { } problem) return problem;
        if (decision is not null && !DecisionNames.Contains(decision))
            return ApiProblem.BadRequest("Invalid decision", "decision must be 'review' or 'block'.");
        if (limit is < 1 or > 1000) return ApiProblem.BadRequest("Invalid limit", "limit must be 1-1000.");
        return TypedResults.Ok(new EventAnomalyPage(name, from, await store.RecentAsync(name, from, decision, limit, cancellationToken)));
    }

    /// <summary>The dataset and query of GET /api/datasets/{name}/events/scores.csv.</summary>
    public sealed record EventScoresQuery(
        [FromRoute(Name = "name")] string Name,
        [FromQuery(Name = "since")] string? Since = null,
        [FromQuery(Name = "limit")] int Limit = 10_000);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> DownloadEventScores(
        [AsParameters] EventScoresQuery query, EventAnomalyStore store, TimeProvider clock, IOptions<EventScoringOptions> options, CancellationToken cancellationToken)
    {
        var (name, since, limit) = query;
        if (Check(name, since, clock, out var from) is { } problem) return problem;
        if (limit is < 1 or > 100_000) return ApiProblem.BadRequest("Invalid limit", "limit must be 1-100000.");
        if (!options.Value.KeepEveryScore)
            return ApiProblem.Conflict(title: "Event scores are not kept",
                detail: "This Scoring service keeps only anomalous events (Scoring:Events:KeepEveryScore is false); see /api/datasets/{name}/events/anomalies.");
        var events = await store.ScoresAsync(name, from, limit, cancellationToken);
        return TypedResults.Text(EventScoresCsv.Write(events), "text/csv; charset=utf-8");
    }

    public static async Task<Results<Ok<EventStreamStats>, ProblemHttpResult>> EventStreamStats(
        string name, EventAnomalyStore store, TimeProvider clock, CancellationToken cancellationToken, string? since = null) =>
        Check(name, since, clock, out var from) is { } problem ? problem : TypedResults.Ok(await store.StatsAsync(name, from, cancellationToken));

    private static ProblemHttpResult? Check(string name, string? since, TimeProvider clock, out DateTimeOffset from)
    {
        from = clock.GetUtcNow() - DefaultWindow;
        if (!DatasetNames.IsValid(name))
            return ApiProblem.InvalidDatasetName(name);
        if (since is null) return null;
        if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out from))
            return ApiProblem.BadRequest("Invalid since", $"since '{since}' is not a timestamp; use ISO 8601, e.g. 2026-11-21T20:00:00Z.");
        return null;
    }
}
