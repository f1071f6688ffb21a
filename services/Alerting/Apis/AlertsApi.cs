using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Alerting.Storage;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Alerting.Apis;

public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/alerts").WithTags("Alerts");
        api.MapGet("", ListAlerts)
            .WithName("ListAlerts")
            .WithSummary("Alerts, newest first: sent, suppressed by throttling, failed (dead-lettered) or pending; filtered by dataset, since (ISO 8601) and status.");
        api.MapGet("{id:guid}", GetAlert)
            .WithName("GetAlert")
            .WithSummary("One alert with its conditions, deliveries and run summary.");
        api.MapGet("dead-letters", ListDeadLetters)
            .WithName("ListAlertDeadLetters")
            .WithSummary("Deliveries that failed their last attempt, with the payload they could not deliver and the error.");
        api.MapGet("stuck-runs", ListStuckRuns)
            .WithName("ListStuckRuns")
            .WithSummary("Runs marked stuck (open longer than a policy's run_not_completed_within), with how they ended if they have since.");
        return app;
    }

    /// <summary>The query of GET /api/alerts: dataset, since (ISO 8601) and status to filter by, and how many.</summary>
    public sealed record AlertListQuery(
        [FromQuery(Name = "dataset")] string? Dataset = null,
        [FromQuery(Name = "since")] string? Since = null,
        [FromQuery(Name = "status")] string? Status = null,
        [FromQuery(Name = "limit")] int Limit = 100);

    public static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> ListAlerts(
        [AsParameters] AlertListQuery query, AlertStore alerts, CancellationToken cancellationToken)
    {
        var (dataset, since, status, limit) = query;
        if (CheckFilters(dataset, since, limit, out var from) is { } problem) return problem;
        if (status is not null && !AlertStatuses.All.Contains(status))
            return ApiProblem.BadRequest("Invalid status", $"status must be one of {string.Join(", ", AlertStatuses.All)}.");
        return TypedResults.Ok(await alerts.ListAsync(dataset, from, status, limit, cancellationToken));
    }

    public static async Task<Results<Ok<AlertView>, ProblemHttpResult>> GetAlert(Guid id, AlertStore alerts, CancellationToken cancellationToken) =>
        await alerts.FindAsync(id, cancellationToken) is { } alert
            ? TypedResults.Ok(alert)
            : ApiProblem.NotFound(title: "Alert not found", detail: $"No alert {id} exists.");

    public static async Task<Results<Ok<IReadOnlyList<DeadLetterView>>, ProblemHttpResult>> ListDeadLetters(
        AlertStore alerts, CancellationToken cancellationToken, string? dataset = null, string? since = null, int limit = 100)
    {
        if (CheckFilters(dataset, since, limit, out var from) is { } problem) return problem;
        return TypedResults.Ok(await alerts.ListDeadLettersAsync(dataset, from, limit, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<StuckRunView>>, ProblemHttpResult>> ListStuckRuns(
        TrackedRunStore runs, CancellationToken cancellationToken, string? dataset = null, int limit = 100)
    {
        if (CheckFilters(dataset, null, limit, out _) is { } problem) return problem;
        return TypedResults.Ok(await runs.ListStuckAsync(dataset, limit, cancellationToken));
    }

    internal static ProblemHttpResult InvalidDataset(string dataset) =>
        ApiProblem.InvalidDatasetName(dataset);

    private static ProblemHttpResult? CheckFilters(string? dataset, string? since, int limit, out DateTimeOffset? from)
    {
        from = null;
        if (dataset is not null && !DatasetNames.IsValid(dataset)) return InvalidDataset(dataset);
        if (limit is < 1 or > 500) return ApiProblem.BadRequest("Invalid limit", "limit must be 1-500.");
        if (since is null) return null;
        if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return ApiProblem.BadRequest("Invalid since", $"'{since}' is not a date and time; use ISO 8601, e.g. 2026-11-20T08:00:00Z.");
        from = parsed;
        return null;
    }
}
