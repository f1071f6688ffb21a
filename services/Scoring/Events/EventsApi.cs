using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;

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
        api.MapGet("stats", EventStreamStats).WithName("EventStreamStats")
            .WithSummary("Micro-batches, events and anomalies scored after 'since', with accept-to-persisted latency percentiles.");
        return app;
    }

    public static async Task<Results<Ok<EventAnomalyPage>, ProblemHttpResult>> ListEventAnomalies(
        string name, EventAnomalyStore store, TimeProvider clock, CancellationToken cancellationToken,
        string? since = null, string? decision = null, int limit = 100)
    {
        if (Check(name, since, clock, out var from) is { } problem) return problem;
        if (decision is not null && !DecisionNames.Contains(decision))
            return Problem("Invalid decision", "decision must be 'review' or 'block'.");
        if (limit is < 1 or > 1000) return Problem("Invalid limit", "limit must be 1-1000.");
        return TypedResults.Ok(new EventAnomalyPage(name, from, await store.RecentAsync(name, from, decision, limit, cancellationToken)));
    }

    public static async Task<Results<Ok<EventStreamStats>, ProblemHttpResult>> EventStreamStats(
        string name, EventAnomalyStore store, TimeProvider clock, CancellationToken cancellationToken, string? since = null) =>
        Check(name, since, clock, out var from) is { } problem ? problem : TypedResults.Ok(await store.StatsAsync(name, from, cancellationToken));

    private static ProblemHttpResult? Check(string name, string? since, TimeProvider clock, out DateTimeOffset from)
    {
        from = clock.GetUtcNow() - DefaultWindow;
        if (!DatasetNames.IsValid(name))
            return Problem("Invalid dataset name", $"'{name}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-'.");
        if (since is null) return null;
        if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out from))
            return Problem("Invalid since", $"since '{since}' is not a timestamp; use ISO 8601, e.g. 2026-11-21T20:00:00Z.");
        return null;
    }

    private static ProblemHttpResult Problem(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
