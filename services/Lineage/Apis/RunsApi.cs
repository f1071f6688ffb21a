using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Apis;

public static class RunsApi
{
    private static readonly string[] Statuses = ["running", "completed", "failed"];

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/runs").WithTags("Runs");
        api.MapGet("{id:guid}", GetRun)
            .WithName("GetRun")
            .WithSummary("A run with its status, failure reason, stages and their timings.");
        api.MapGet("", ListRuns)
            .WithName("ListRuns")
            .WithSummary("Runs, newest first, filtered by dataset and status, paged with limit/offset.");
        return app;
    }

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRun(Guid id, RunTimelineStore timeline, CancellationToken cancellationToken) =>
        await timeline.FindAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found",
                detail: $"No run {id} is known. A run appears a moment after its batch is accepted.");

    public static async Task<Results<Ok<RunPage>, ProblemHttpResult>> ListRuns(
        RunTimelineStore timeline, CancellationToken cancellationToken, string? dataset = null, string? status = null, int limit = 50, int offset = 0)
    {
        if (status is not null && !Statuses.Contains(status))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid status", detail: $"status must be one of {string.Join(", ", Statuses)}.");
        if (limit is < 1 or > 500 || offset < 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid paging", detail: "limit must be 1-500 and offset 0 or more.");
        return TypedResults.Ok(await timeline.ListAsync(dataset, status, limit, offset, cancellationToken));
    }
}
