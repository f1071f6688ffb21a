using Amazon.S3;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Contracts;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Apis;

public static class AnomaliesApi
{
    private static readonly string[] DecisionNames = [Decisions.Review, Decisions.Block];

    public static IEndpointRouteBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/runs/{id:guid}").WithTags("Anomalies");
        api.MapGet("anomalies", ListAnomalies).WithName("ListAnomalies")
            .WithSummary("A run's anomalies, highest risk first, with their key, decision and top features (modelVersion= for a shadow model's).");
        api.MapGet("scores.csv", DownloadScoresReport).WithName("DownloadScoresReport")
            .WithSummary("Every row of a run with its key columns, risk, decision, each detector's calibrated evidence (nats) and top features, as CSV.");
        api.MapGet("scores", ListScores).WithName("ListScores")
            .WithSummary("Every scoring of a run: the active model's and a shadow model's, with decision counts and feature drift, to compare before promotion.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ScoreRecord>>, ProblemHttpResult>> ListScores(Guid id, ScoringStore store, CancellationToken cancellationToken) =>
        await store.ScoresAsync(id, cancellationToken) is { Count: > 0 } scores
            ? TypedResults.Ok(scores)
            : ApiProblem.NotFound(title: "Not scored", detail: $"Run {id} has not been scored.");

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadScoresReport(
        Guid id, ScoringStore store, IAmazonS3 s3, ObjectStoreOptions objects, CancellationToken cancellationToken)
    {
        if (await store.FindBatchAsync(id, cancellationToken) is not { } batch)
            return ApiProblem.NotFound(title: "Not scored", detail: $"Run {id} has not reached scoring.");
        try
        {
            var report = await s3.GetWholeObjectAsync(objects.Bucket, ScoresReport.Key(batch.Dataset, id), cancellationToken);
            return TypedResults.Stream(report.ResponseStream, "text/csv", ScoresReport.FileName);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return ApiProblem.NotFound(title: "No scores report",
                detail: $"Run {id} has no scores report yet: it is being scored, or was scored before the report existed.");
        }
    }

    public sealed record AnomalyPage(IReadOnlyList<AnomalyRecord> Items, long Total, int Limit, int Offset);

    /// <summary>The run and query of GET /api/runs/{id}/anomalies: a decision and model version to filter by, and paging.</summary>
    public sealed record AnomalyQuery(
        [FromRoute(Name = "id")] Guid Id,
        [FromQuery(Name = "decision")] string? Decision = null,
        [FromQuery(Name = "modelVersion")] int? ModelVersion = null,
        [FromQuery(Name = "limit")] int Limit = 100,
        [FromQuery(Name = "offset")] int Offset = 0);

    public static async Task<Results<Ok<AnomalyPage>, ProblemHttpResult>> ListAnomalies(
        [AsParameters] AnomalyQuery query, ScoringStore store, CancellationToken cancellationToken)
    {
        var (id, decision, modelVersion, limit, offset) = query;
        if (decision is not null && !DecisionNames.Contains(decision))
            return ApiProblem.BadRequest(title: "Invalid decision", detail: "decision must be 'review' or 'block'.");
        if (limit is < 1 or > 1000 || offset < 0)
            return ApiProblem.BadRequest(title: "Invalid paging", detail: "limit must be 1-1000 and offset 0 or more.");
        var (items, total) = await store.AnomaliesAsync(id, decision, modelVersion, limit, offset, cancellationToken);
        return TypedResults.Ok(new AnomalyPage(items, total, limit, offset));
    }
}
