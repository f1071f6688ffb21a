using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.Callbacks;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Apis;

/// <summary>
/// What a batch, reconciliation or pull request says besides its body: the dataset (route), the execution date
/// (yyyy-MM-dd, today UTC when left out), rerun, the Idempotency-Key header and the callback URL. Bound with
/// <c>[AsParameters]</c>; each member carries its name on the wire, which is also the name a binding error gives.
/// </summary>
public sealed record IntakeRequest(
    [FromRoute(Name = "name")] string Name,
    [FromQuery(Name = "executionDate")] DateOnly? ExecutionDate,
    [FromQuery(Name = "rerun")] bool? Rerun,
    [FromHeader(Name = "Idempotency-Key")] string? IdempotencyKey,
    [FromQuery(Name = "callbackUrl")] string? CallbackUrl)
{
    public BatchSubmission ToSubmission() =>
        new(Name, ExecutionDate ?? DateOnly.FromDateTime(DateTime.UtcNow), IdempotencyKey, Rerun ?? false) { CallbackUrl = CallbackUrl };
}

/// <summary>The services every intake endpoint checks a request against before it reads a body.</summary>
public sealed record IntakeServices(DatasetCatalog Catalog, CallbackUrlPolicy Callbacks)
{
    /// <summary>
    /// A problem for a refused callback URL, a bad or unregistered dataset or an over-long key; null when the submission
    /// may go on. A repeated Idempotency-Key is answered once the body is read, since the answer depends on the body.
    /// </summary>
    public async Task<ProblemHttpResult?> AdmitAsync(IntakeRequest request, CancellationToken cancellationToken) =>
        CheckCallbackUrl(request.CallbackUrl, Callbacks) ?? await CheckDatasetAsync(request.Name, request.IdempotencyKey, Catalog, cancellationToken);
}
