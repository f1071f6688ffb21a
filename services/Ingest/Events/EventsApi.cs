using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Events;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("api/datasets/{name}/events").WithTags("Events")
            .MapPost("", SubmitEvents)
            .WithName("SubmitEvents")
            .WithSummary("Stream events of a dataset to be scored one by one.")
            .WithDescription("Body: one JSON object, a JSON array of objects (application/json) or NDJSON (application/x-ndjson). 202 once the events are on the bus; 429 with Retry-After when scoring is behind. "
                + "Header Idempotency-Key: a repeat is answered with the first request's receipt (and Idempotent-Replay: true) and publishes nothing; 409 while the first is still being accepted; 422 when the key was used with another body.")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>The services an events request passes through, bound with <c>[AsParameters]</c>.</summary>
    public sealed record EventIntake(
        EventSchemas Schemas, EventBatcher Batcher, ScoringBacklog Backlog, EventIdempotency Idempotency, IOptions<EventsOptions> Options, TimeProvider Clock);

    /// <summary>Events of one request that passed every check, stamped with the time they were accepted.</summary>
    private sealed record Arrival(string Name, EventSchema Schema, IReadOnlyList<string> Events, DateTimeOffset AcceptedAt);

    public static async Task<Results<Accepted<EventsReceipt>, ProblemHttpResult>> SubmitEvents(
        string name, HttpContext http, [AsParameters] EventIntake intake, CancellationToken cancellationToken,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey = null)
    {
        var acceptedAt = intake.Clock.GetUtcNow();
        var (limits, backlog) = (intake.Options.Value, intake.Backlog);
        if (!DatasetNames.IsValid(name))
            return ApiProblem.InvalidDatasetName(name);
        if (Apis.IntakeProblems.CheckIdempotencyKey(idempotencyKey) is { } invalidKey) return invalidKey;
        if (!EventBodyParser.IsSupported(http.Request.ContentType, out var mediaType))
            return ApiProblem.UnsupportedMediaType("Unsupported event format", $"Content-Type '{http.Request.ContentType}' is not accepted; send application/json or application/x-ndjson.");
        if (backlog.IsOverloaded)
            return TooBusy(http, limits, $"Scoring is behind: {backlog.Depth} micro-batches wait in its queue (limit {limits.MaxQueuedBatches}).");
        if (http.Request.ContentLength > limits.MaxBodyBytes || await ReadBodyAsync(http.Request.Body, limits.MaxBodyBytes, cancellationToken) is not { } body)
            return ApiProblem.TooLarge("Body too large", $"An events request is limited to {limits.MaxBodyBytes} bytes; split it.");

        EventSchema? schema;
        try
        {
            schema = await intake.Schemas.FindAsync(name, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return ApiProblem.Unavailable("Dataset catalog unavailable", "Could not read the dataset's definition; retry shortly.");
        }
        if (schema is null)
            return ApiProblem.UnknownDataset(name);

        var (events, error) = EventBodyParser.Parse(body, mediaType, schema, limits.MaxEventsPerRequest);
        if (error is not null)
            return ApiProblem.Of(error.Status, error.Title, error.Detail);

        var arrival = new Arrival(name, schema, events!, acceptedAt);
        return idempotencyKey is null
            ? await AcceptAsync(arrival, http, intake)
            : await AcceptOnceAsync(arrival, idempotencyKey, EventIdempotency.BodyHash(body), http, intake);
    }

    /// <summary>
    /// Accepts a request that carries an Idempotency-Key at most once: a repeat gets the first receipt, a repeat while the
    /// first is under way 409; a refused request frees its key so that the client's retry is accepted.
    /// </summary>
    private static async Task<Results<Accepted<EventsReceipt>, ProblemHttpResult>> AcceptOnceAsync(
        Arrival arrival, string idempotencyKey, string bodyHash, HttpContext http, EventIntake intake)
    {
        var (name, idempotency, limits) = (arrival.Name, intake.Idempotency, intake.Options.Value);
        IdempotencyClaim claim;
        EventsReceipt? earlier;
        try
        {
            (claim, earlier) = await idempotency.ClaimAsync(name, idempotencyKey, bodyHash);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return ApiProblem.Unavailable(http.Response, limits.RetryAfterSeconds, "Idempotency store unavailable", "Idempotency-Key cannot be checked right now; retry after the time given in Retry-After, or send without the key.");
        }
        if (claim == IdempotencyClaim.Conflict)
            return ApiProblem.Unprocessable("Idempotency-Key reused with a different request",
                $"Idempotency-Key '{idempotencyKey}' was first used with another body for dataset '{name}'; these events were not accepted. Send new events under a new key.");
        if (claim == IdempotencyClaim.Accepted)
        {
            http.Response.Headers["Idempotent-Replay"] = "true";
            return TypedResults.Accepted(earlier!.AnomaliesUrl, earlier);
        }
        if (claim == IdempotencyClaim.InProgress)
            return ApiProblem.Conflict("Request in progress", "A request with this Idempotency-Key is being accepted; retry once it has been answered.");

        Results<Accepted<EventsReceipt>, ProblemHttpResult> result;
        try
        {
            result = await AcceptAsync(arrival, http, intake);
        }
        catch
        {
            await idempotency.ReleaseAsync(name, idempotencyKey);
            throw;
        }
        try
        {
            if (result.Result is Accepted<EventsReceipt> accepted) await idempotency.CompleteAsync(name, idempotencyKey, bodyHash, accepted.Value!);
            else await idempotency.ReleaseAsync(name, idempotencyKey);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The events are on the bus; the claim expires by itself and a retry then is taken as new.
        }
        return result;
    }

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static async Task<Results<Accepted<EventsReceipt>, ProblemHttpResult>> AcceptAsync(Arrival arrival, HttpContext http, EventIntake intake)
    {
        var (name, acceptedAt, batcher, limits) = (arrival.Name, arrival.AcceptedAt, intake.Batcher, intake.Options.Value);
        var stamped = arrival.Events.Select(json => new AcceptedEvent(acceptedAt, json)).ToArray();
        if (batcher.TryEnqueue(name, arrival.Schema, stamped) is not { } published)
            return TooBusy(http, limits, $"{batcher.PendingEvents} events are already waiting to be published (limit {limits.MaxPendingEvents}).");
        try
        {
            // Not cancelled with the request: once queued, the events go to the bus whether or not the client waits.
            await published.WaitAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ApiProblem.Unavailable("Message bus unavailable", "The events could not be put on the bus and were not accepted; retry shortly.");
        }
        var anomalies = $"/api/datasets/{name}/events/anomalies";
        return TypedResults.Accepted(anomalies, new EventsReceipt(name, stamped.Length, acceptedAt, anomalies));
    }

    /// <summary>The body, or null when it is over <paramref name="limit"/> bytes.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ProblemHttpResult TooBusy(HttpContext http, EventsOptions limits, string detail)
    {
        return ApiProblem.TooManyRequests(http.Response, limits.RetryAfterSeconds, "Too many events", detail + " Retry after the time given in Retry-After.");
    }
}
