using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Lineage.Apis;

public static class HistoryApi
{
    public const int MaxPoints = 1000;

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/datasets/{name}/history", GetHistory)
            .WithTags("History")
            .WithName("GetDatasetHistory")
            .WithSummary("A dataset's KPIs per run (DQ score, row count, anomaly count and rate), oldest first, for trend charts; from/to are execution dates (inclusive).");
        return app;
    }

    /// <summary>The dataset (route) and query of GET /api/datasets/{name}/history: execution dates from/to (inclusive) and how many points.</summary>
    public sealed record HistoryQuery(
        [FromRoute(Name = "name")] string Name,
        [FromQuery(Name = "from")] string? From = null,
        [FromQuery(Name = "to")] string? To = null,
        [FromQuery(Name = "limit")] int Limit = 100);

    public static async Task<Results<Ok<DatasetHistory>, ProblemHttpResult>> GetHistory(
        [AsParameters] HistoryQuery query, RunTimelineStore timeline, CancellationToken cancellationToken)
    {
        var (name, from, to, limit) = query;
        if (limit is < 1 or > MaxPoints)
            return ApiProblem.BadRequest(title: "Invalid limit", detail: $"limit must be 1-{MaxPoints}.");
        if (!QueryValues.TryParseDate(from, "from", out var start, out var problem) || !QueryValues.TryParseDate(to, "to", out var end, out problem))
            return problem;
        if (start > end)
            return ApiProblem.BadRequest(title: "Invalid date range", detail: "from must not be after to.");

        return await timeline.HistoryAsync(name, start, end, limit, cancellationToken) is { } points
            ? TypedResults.Ok(new DatasetHistory(name, start, end, limit, points))
            : ApiProblem.NotFound(title: "No runs",
                detail: $"Dataset '{name}' has no runs; its history starts with its first batch.");
    }
}
