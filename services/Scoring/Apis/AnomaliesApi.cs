using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Apis;

public static class AnomaliesApi
{
    private static readonly string[] DecisionNames = [Decisions.Review, Decisions.Block];

    public static IEndpointRouteBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("api/runs/{id:guid}/anomalies").WithTags("Anomalies")
            .MapGet("", ListAnomalies).WithName("ListAnomalies")
            .WithSummary("A run's anomalies, highest risk first, with their key, decision and top features.");
        return app;
    }

    public sealed record AnomalyPage(IReadOnlyList<AnomalyRecord> Items, long Total, int Limit, int Offset);

    public static async Task<Results<Ok<AnomalyPage>, ProblemHttpResult>> ListAnomalies(
        Guid id, ScoringStore store, CancellationToken cancellationToken, string? decision = null, int limit = 100, int offset = 0)
    {
        if (decision is not null && !DecisionNames.Contains(decision))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid decision", detail: "decision must be 'review' or 'block'.");
        if (limit is < 1 or > 1000 || offset < 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid paging", detail: "limit must be 1-1000 and offset 0 or more.");
        var (items, total) = await store.AnomaliesAsync(id, decision, limit, offset, cancellationToken);
        return TypedResults.Ok(new AnomalyPage(items, total, limit, offset));
    }
}
