using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Apis;

public static class ReconciliationsApi
{
    private static readonly string[] Roles = ["source", "target"];
    private const int MultipartBufferSize = 64 * 1024;

    public static IEndpointRouteBuilder MapReconciliationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/reconciliations").WithTags("Reconciliations");
        api.MapPost("", SubmitReconciliation)
            .WithName("SubmitReconciliation")
            .WithSummary("Reconcile a source batch against a target batch by the dataset's key columns.")
            .WithDescription("Body: multipart/form-data with two files, 'source' and 'target' (CSV, JSON array or NDJSON; type from each part's Content-Type or file extension). Same query and Idempotency-Key as batches.")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult>> SubmitReconciliation(
        [AsParameters] IntakeRequest parameters,
        [AsParameters] IntakeServices checks,
        HttpRequest request,
        BatchIntake intake,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            return ApiProblem.UnsupportedMediaType("Multipart body expected", "Send multipart/form-data with two files named 'source' and 'target'.");
        if (await checks.AdmitAsync(parameters, cancellationToken) is { } early) return early;

        var parts = new Dictionary<string, BatchPart>();
        try
        {
            // Larger than the default 4 KiB: each read of a part's body is at most the buffer, and each read is a file write.
            var reader = new MultipartReader(boundary, request.Body, MultipartBufferSize);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } role)
                    return ApiProblem.BadRequest("Unnamed part", "Every part needs a Content-Disposition with a name ('source' or 'target').");
                role = HeaderUtilities.RemoveQuotes(role).Value!;
                if (!Roles.Contains(role))
                    return ApiProblem.BadRequest("Unexpected part", $"Part '{role}' is not expected; send 'source' and 'target'.");
                if (parts.ContainsKey(role))
                    return ApiProblem.BadRequest("Repeated part", $"Part '{role}' appears twice.");
                if (FormatOf(section.ContentType, HeaderUtilities.RemoveQuotes(disposition.FileName).Value) is not var (mediaType, extension))
                    return ApiProblem.UnsupportedMediaType("Unsupported batch format", $"The {role} must be CSV, JSON or NDJSON (by Content-Type or a .csv/.json/.ndjson file name).");
                var (spooled, tooBigOrEmpty) = await SpoolAsync(section.Body, role, options.Value, cancellationToken);
                if (spooled is null) return tooBigOrEmpty!;
                parts[role] = new BatchPart(mediaType, extension, spooled);
            }
        }
        catch (InvalidDataException e)
        {
            await DisposeAsync(parts);
            return ApiProblem.BadRequest("Malformed multipart body", e.Message);
        }

        try
        {
            if (!parts.TryGetValue("source", out var source) || !parts.TryGetValue("target", out var target))
                return ApiProblem.BadRequest("Missing part", $"A reconciliation needs both 'source' and 'target'; got {(parts.Count == 0 ? "neither" : string.Join(" and ", parts.Keys))}.");
            return ToResult(await intake.AcceptAsync(parameters.ToSubmission(), target, source, started, cancellationToken));
        }
        finally
        {
            await DisposeAsync(parts);
        }
    }

    private static (string MediaType, string Extension)? FormatOf(string? contentType, string? fileName)
    {
        if (BatchFormat.Recognize(contentType) is { } declared) return declared;
        return Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".csv" => BatchFormat.Recognize("text/csv"),
            ".json" => BatchFormat.Recognize("application/json"),
            ".ndjson" or ".jsonl" => BatchFormat.Recognize("application/x-ndjson"),
            _ => null,
        };
    }

    private static async Task DisposeAsync(Dictionary<string, BatchPart> parts)
    {
        foreach (var part in parts.Values) await part.Content.DisposeAsync();
    }
}
