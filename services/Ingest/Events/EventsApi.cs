using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Contracts;

namespace Vigil.Ingest.Events;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("api/datasets/{name}/events").WithTags("Events")
            .MapPost("", SubmitEvents)
            .WithName("SubmitEvents")
            .WithSummary("Stream events of a dataset to be scored one by one.")
            .WithDescription("Body: one JSON object, a JSON array of objects (application/json) or NDJSON (application/x-ndjson). 202 once the events are on the bus; 429 with Retry-After when scoring is behind.")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<EventsReceipt>, ProblemHttpResult>> SubmitEvents(
        string name, HttpContext http, EventSchemas schemas, EventBatcher batcher, ScoringBacklog backlog,
        IOptions<EventsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var acceptedAt = clock.GetUtcNow();
        var limits = options.Value;
        if (!DatasetNames.IsValid(name))
            return Problem(StatusCodes.Status400BadRequest, "Invalid dataset name", $"'{name}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-' (e.g. banking.transactions).");
        if (!EventBodyParser.IsSupported(http.Request.ContentType, out var mediaType))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported event format", $"Content-Type '{http.Request.ContentType}' is not accepted; send application/json or application/x-ndjson.");
        if (backlog.IsOverloaded)
            return TooBusy(http, limits, $"Scoring is behind: {backlog.Depth} micro-batches wait in its queue (limit {limits.MaxQueuedBatches}).");
        if (http.Request.ContentLength > limits.MaxBodyBytes || await ReadBodyAsync(http.Request.Body, limits.MaxBodyBytes, cancellationToken) is not { } body)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"An events request is limited to {limits.MaxBodyBytes} bytes; split it.");

        EventSchema? schema;
        try
        {
            schema = await schemas.FindAsync(name, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Dataset catalog unavailable", "Could not read the dataset's definition; retry shortly.");
        }
        if (schema is null)
            return Problem(StatusCodes.Status404NotFound, "Unknown dataset", $"Dataset '{name}' is not registered; register it first with POST /api/datasets.");

        var (events, error) = EventBodyParser.Parse(body, mediaType, schema, limits.MaxEventsPerRequest);
        if (error is not null)
            return Problem(error.Status, error.Title, error.Detail);

        var stamped = events!.Select(json => new AcceptedEvent(acceptedAt, json)).ToArray();
        if (batcher.TryEnqueue(name, schema, stamped) is not { } published)
            return TooBusy(http, limits, $"{batcher.PendingEvents} events are already waiting to be published (limit {limits.MaxPendingEvents}).");
        try
        {
            // Not cancelled with the request: once queued, the events go to the bus whether or not the client waits.
            await published.WaitAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Message bus unavailable", "The events could not be put on the bus and were not accepted; retry shortly.");
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
        http.Response.Headers.RetryAfter = limits.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status429TooManyRequests, "Too many events", detail + " Retry after the time given in Retry-After.");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
