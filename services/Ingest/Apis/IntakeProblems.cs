using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.Callbacks;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Ingest.Apis;

/// <summary>The checks and problem answers both intake endpoints share.</summary>
internal static class IntakeProblems
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>A problem when an Idempotency-Key header is too long to keep; null otherwise.</summary>
    public static ProblemHttpResult? CheckIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is { Length: > MaxIdempotencyKeyLength }
            ? ApiProblem.BadRequest("Invalid Idempotency-Key", $"Idempotency-Key is limited to {MaxIdempotencyKeyLength} characters.")
            : null;

    /// <summary>A problem when the dataset name, key or registration is not acceptable; null when the request may go on.</summary>
    public static async Task<ProblemHttpResult?> CheckDatasetAsync(string name, string? idempotencyKey, DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        if (!DatasetNames.IsValid(name))
            return ApiProblem.InvalidDatasetName(name);
        if (CheckIdempotencyKey(idempotencyKey) is { } invalidKey) return invalidKey;
        try
        {
            return await catalog.IsRegisteredAsync(name, cancellationToken)
                ? null
                : ApiProblem.UnknownDataset(name);
        }
        catch (HttpRequestException)
        {
            return ApiProblem.Unavailable("Dataset catalog unavailable", "Could not check the dataset's registration; retry shortly.");
        }
    }

    /// <summary>A problem when a callbackUrl is given that the callback policy refuses (scheme, loopback, private range); null otherwise.</summary>
    public static ProblemHttpResult? CheckCallbackUrl(string? callbackUrl, CallbackUrlPolicy policy) =>
        callbackUrl is not null && policy.Check(callbackUrl, out _) is { } refused
            ? ApiProblem.BadRequest("Invalid callback URL", refused)
            : null;

    /// <summary>Spools one upload, or says why it cannot be taken.</summary>
    public static async Task<(SpooledBatch? Batch, ProblemHttpResult? Problem)> SpoolAsync(Stream body, string what, IngestOptions options, CancellationToken cancellationToken)
    {
        var spooled = await SpooledBatch.SpoolAsync(body, options.MaxBatchBytes, options.SpoolDirectory, cancellationToken);
        if (spooled is null)
            return (null, ApiProblem.TooLarge("Batch too large", $"The {what} is over the limit of {options.MaxBatchBytes} bytes."));
        if (spooled.Size == 0)
        {
            await spooled.DisposeAsync();
            return (null, ApiProblem.BadRequest("Empty batch", $"The {what} is empty; send the batch's rows."));
        }
        return (spooled, null);
    }

    public static Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult> ToResult(IntakeOutcome outcome) => outcome switch
    {
        IntakeOutcome.Accepted(var run) => TypedResults.Accepted($"/api/runs/{run.RunId}", BatchAccepted.From(run, duplicate: false)),
        IntakeOutcome.AlreadyKnown(var run) => TypedResults.Ok(BatchAccepted.From(run, duplicate: true)),
        IntakeOutcome.Rejected(var status, var title, var detail) => ApiProblem.Of(status, title, detail),
        _ => throw new InvalidOperationException("Unknown intake outcome."),
    };
}
