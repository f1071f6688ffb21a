using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Ingest.Intake;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Apis;

public static class BatchesApi
{
    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/batches").WithTags("Batches");
        api.MapPost("", SubmitBatch)
            .WithName("SubmitBatch")
            .WithSummary("Submit one batch of a dataset for validation and scoring.")
            // No Accepts() metadata: routing would answer other media types with a bare 415; the handler explains instead.
            .WithDescription("Body: text/csv, application/json (array of objects) or application/x-ndjson. Query: executionDate (yyyy-MM-dd, default today UTC), rerun=true to supersede a run of the same content. Header Idempotency-Key returns the first run for repeats.")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult>> SubmitBatch(
        string name,
        HttpRequest request,
        BatchIntake intake,
        [FromQuery] DateOnly? executionDate,
        [FromQuery] bool? rerun,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        if (!DatasetName.IsValid(name))
            return Problem(StatusCodes.Status400BadRequest, "Invalid dataset name", $"'{name}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-' (e.g. banking.transactions).");
        if (BatchFormat.Recognize(request.ContentType) is not var (mediaType, extension))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported batch format", $"Content-Type '{request.ContentType}' is not accepted; send one of {string.Join(", ", BatchFormat.MediaTypes)}.");
        if (idempotencyKey is { Length: > 200 })
            return Problem(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", "Idempotency-Key is limited to 200 characters.");

        var submission = new BatchSubmission(name, executionDate ?? DateOnly.FromDateTime(DateTime.UtcNow), mediaType, extension, idempotencyKey, rerun ?? false);
        return await intake.SubmitAsync(submission, request.Body, cancellationToken) switch
        {
            IntakeOutcome.Accepted(var run) => TypedResults.Accepted($"/api/runs/{run.RunId}", BatchAccepted.From(run, duplicate: false)),
            IntakeOutcome.AlreadyKnown(var run) => TypedResults.Ok(BatchAccepted.From(run, duplicate: true)),
            IntakeOutcome.Rejected(var status, var title, var detail) => Problem(status, title, detail),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>Answer to a batch submission: the run to follow.</summary>
public sealed record BatchAccepted(Guid RunId, string Dataset, DateOnly ExecutionDate, string ObjectKey, long SizeBytes, string ContentSha256, bool Duplicate, string RunUrl)
{
    public static BatchAccepted From(RunRecord run, bool duplicate) =>
        new(run.RunId, run.Dataset, run.ExecutionDate, run.ObjectKey, run.SizeBytes, run.ContentSha256, duplicate, $"/api/runs/{run.RunId}");
}
