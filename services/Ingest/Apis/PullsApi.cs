using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;
using Vigil.Ingest.Pulls;
using Vigil.ServiceDefaults.Callbacks;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Apis;

public static class PullsApi
{
    public static IEndpointRouteBuilder MapPullsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/pulls").WithTags("Pulls");
        api.MapPost("", PullFromDatabase)
            .WithName("PullFromDatabase")
            .WithSummary("Read the dataset's configured target (and source) from their databases and validate them like an uploaded batch.")
            .WithDescription("The dataset's definition names, under 'pull', a target and optionally a source: each a server-side connection name plus a table/view or a read-only query. Connections are PostgreSQL (rows read with binary COPY in a read-only transaction) or SQLite database files configured on the server (opened read-only); every read is bounded by Ingest:PullTimeout. Same query and Idempotency-Key as batches.");
        return app;
    }

    public static async Task<Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult>> PullFromDatabase(
        string name,
        BatchIntake intake,
        DatasetCatalog catalog,
        PullConnections connections,
        IOptions<IngestOptions> options,
        [FromQuery] DateOnly? executionDate,
        [FromQuery] bool? rerun,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        [FromQuery] string? callbackUrl,
        CallbackUrlPolicy callbacks,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (CheckCallbackUrl(callbackUrl, callbacks) is { } badCallback) return badCallback;
        if (await AdmitAsync(name, idempotencyKey, catalog, cancellationToken) is { } early) return early;
        if (await catalog.FindDefinitionAsync(name, cancellationToken) is not { } definition || PullPlan.FromDefinition(definition) is not { } plan)
            return ApiProblem.BadRequest("No pull configured", $"Dataset '{name}' has no 'pull' section naming a target (and optionally a source) to read.");

        BatchPart? source = null;
        BatchPart? target = null;
        try
        {
            target = await ExtractAsync(plan.Target, connections, options.Value, cancellationToken);
            if (plan.Source is { } sourceSide) source = await ExtractAsync(sourceSide, connections, options.Value, cancellationToken);
            var submission = Submission(name, executionDate, idempotencyKey, rerun, callbackUrl);
            return ToResult(await intake.AcceptAsync(submission, target, source, started, cancellationToken));
        }
        catch (PullException e)
        {
            return ApiProblem.Unprocessable("Pull failed", e.Message);
        }
        finally
        {
            if (target is not null) await target.Content.DisposeAsync();
            if (source is not null) await source.Content.DisposeAsync();
        }
    }

    /// <summary>One side as a spooled CSV, exactly like an uploaded batch from then on.</summary>
    private static async Task<BatchPart> ExtractAsync(PullSide side, PullConnections connections, IngestOptions options, CancellationToken cancellationToken)
    {
        var source = connections.Resolve(side.Connection);
        var extracted = Path.Combine(options.SpoolDirectory ?? Path.GetTempPath(), $"vigil-pull-{Guid.NewGuid():n}.csv");
        try
        {
            await using (var file = new FileStream(extracted, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                await PullExtract.ToCsvAsync(source, side, file, options.PullTimeout, cancellationToken);
            await using var csv = new FileStream(extracted, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
            var spooled = await SpooledBatch.SpoolAsync(csv, options.MaxBatchBytes, options.SpoolDirectory, cancellationToken)
                ?? throw new PullException($"What '{side.Connection}' returned is over the batch limit of {options.MaxBatchBytes} bytes.");
            var (mediaType, extension) = BatchFormat.Recognize("text/csv")!.Value;
            return new BatchPart(mediaType, extension, spooled);
        }
        finally
        {
            File.Delete(extracted);
        }
    }
}
