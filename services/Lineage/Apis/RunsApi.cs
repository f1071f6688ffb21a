using Amazon.S3;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Lineage.Callbacks;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Problems;

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
        api.MapGet("{id:guid}/reports/{kind}", DownloadReport)
            .WithName("DownloadReport")
            .WithSummary("Streams one of the run's reports (validation summary JSON, defects CSV, reconciliation CSV, cleaned batch, ...).");
        api.MapGet("", ListRuns)
            .WithName("ListRuns")
            .WithSummary("Runs, newest first, filtered by dataset, status and started_at (from inclusive, to exclusive, ISO 8601), paged with limit/offset.");
        return app;
    }

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRun(Guid id, RunTimelineStore timeline, CallbackStore callbacks, CancellationToken cancellationToken) =>
        await timeline.FindAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run with { Callback = await callbacks.FindAsync(id, cancellationToken) })
            : ApiProblem.NotFound(title: "Run not found",
                detail: $"No run {id} is known. A run appears a moment after its batch is accepted.");

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadReport(
        Guid id, string kind, RunTimelineStore timeline, IAmazonS3 s3, ObjectStoreOptions store, CancellationToken cancellationToken)
    {
        if (await timeline.FindAsync(id, cancellationToken) is not { } run)
            return ApiProblem.NotFound(title: "Run not found", detail: $"No run {id} is known.");
        if (!run.Reports.TryGetValue(kind, out var key))
            return ApiProblem.NotFound(title: "No such report",
                detail: run.Reports.Count == 0 ? $"Run {id} has no reports yet." : $"Run {id} has no '{kind}' report; it has: {string.Join(", ", run.Reports.Keys.Order())}.");
        try
        {
            var report = await s3.GetWholeObjectAsync(store.Bucket, key, cancellationToken);
            return TypedResults.Stream(report.ResponseStream, report.Headers.ContentType ?? "application/octet-stream", Path.GetFileName(key));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return ApiProblem.NotFound(title: "Report missing", detail: $"The '{kind}' report of run {id} is no longer in the object store.");
        }
    }

    /// <summary>The query of GET /api/runs: filters (the time window as ISO 8601 text, checked by the handler) and paging.</summary>
    public sealed record RunListQuery(
        [FromQuery(Name = "dataset")] string? Dataset = null,
        [FromQuery(Name = "status")] string? Status = null,
        [FromQuery(Name = "from")] string? From = null,
        [FromQuery(Name = "to")] string? To = null,
        [FromQuery(Name = "limit")] int Limit = 50,
        [FromQuery(Name = "offset")] int Offset = 0);

    public static async Task<Results<Ok<RunPage>, ProblemHttpResult>> ListRuns(
        [AsParameters] RunListQuery query, RunTimelineStore timeline, CancellationToken cancellationToken)
    {
        var (dataset, status, from, to, limit, offset) = query;
        if (status is not null && !Statuses.Contains(status))
            return ApiProblem.BadRequest(title: "Invalid status", detail: $"status must be one of {string.Join(", ", Statuses)}.");
        if (limit is < 1 or > 500 || offset < 0)
            return ApiProblem.BadRequest(title: "Invalid paging", detail: "limit must be 1-500 and offset 0 or more.");
        if (!QueryValues.TryParseInstant(from, "from", out var start, out var problem) || !QueryValues.TryParseInstant(to, "to", out var end, out problem))
            return problem;
        if (start >= end)
            return ApiProblem.BadRequest(title: "Invalid time window", detail: "from must be before to.");
        return TypedResults.Ok(await timeline.ListAsync(new RunQuery(dataset, status, start, end, limit, offset), cancellationToken));
    }
}
