using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

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
            .WithDescription("Body: text/csv, application/json (array of objects) or application/x-ndjson. Query: executionDate (yyyy-MM-dd, default today UTC), rerun=true to supersede a run of the same content. Header Idempotency-Key returns the first run for repeats. callbackUrl: an http(s) URL that receives the signed run summary when the run ends.")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult>> SubmitBatch(
        [AsParameters] IntakeRequest parameters,
        [AsParameters] IntakeServices checks,
        HttpRequest request,
        BatchIntake intake,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (BatchFormat.Recognize(request.ContentType) is not var (mediaType, extension))
            return ApiProblem.UnsupportedMediaType("Unsupported batch format", $"Content-Type '{request.ContentType}' is not accepted; send one of {string.Join(", ", BatchFormat.MediaTypes)}.");
        if (await checks.AdmitAsync(parameters, cancellationToken) is { } early) return early;

        var (spooled, tooBigOrEmpty) = await SpoolAsync(request.Body, "batch", options.Value, cancellationToken);
        if (spooled is null) return tooBigOrEmpty!;
        await using (spooled)
        {
            return ToResult(await intake.AcceptAsync(parameters.ToSubmission(), new BatchPart(mediaType, extension, spooled), source: null, started, cancellationToken));
        }
    }
}
