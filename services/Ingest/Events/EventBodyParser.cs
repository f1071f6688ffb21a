using System.Text.Json;

namespace Vigil.Ingest.Events;

/// <summary>Why a request's events cannot be accepted: the reason a client can act on.</summary>
public sealed record EventBodyError(int Status, string Title, string Detail);

/// <summary>
/// Splits a request body into single events (one JSON object, a JSON array of objects, or NDJSON: one object per line)
/// and checks each against the dataset's <see cref="EventSchema"/>. All or nothing: one bad event rejects the request,
/// naming the event (1-based) and, for NDJSON, its line.
/// </summary>
public static class EventBodyParser
{
    public const string JsonMediaType = "application/json";
    public const string NdjsonMediaType = "application/x-ndjson";

    public static bool IsNdjson(string mediaType) => mediaType is NdjsonMediaType or "application/jsonl" or "application/x-jsonlines";

    public static bool IsSupported(string? contentType, out string mediaType)
    {
        mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType == JsonMediaType || IsNdjson(mediaType);
    }

    /// <returns>The raw JSON text of each event, or the error that rejects the request.</returns>
    public static (IReadOnlyList<string>? Events, EventBodyError? Error) Parse(ReadOnlyMemory<byte> body, string mediaType, EventSchema schema, int maxEvents)
    {
        var events = new List<string>();
        if (IsBlank(body.Span))
            return (null, new EventBodyError(StatusCodes.Status400BadRequest, "Empty body", "The body is empty; send a JSON object, an array of objects or NDJSON lines."));
        var error = IsNdjson(mediaType) ? ParseLines(body, schema, maxEvents, events) : ParseDocument(body, schema, maxEvents, events);
        if (error is null && events.Count == 0) error = new EventBodyError(StatusCodes.Status400BadRequest, "No events", "The body holds no events; send a JSON object, an array of objects or NDJSON lines.");
        return error is null ? (events, null) : (null, error);
    }

    private static EventBodyError? ParseDocument(ReadOnlyMemory<byte> body, EventSchema schema, int maxEvents, List<string> events)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Invalid(e, line: null);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object) return Add(root, 1, line: null, schema, maxEvents, events);
            if (root.ValueKind != JsonValueKind.Array)
                return new EventBodyError(StatusCodes.Status400BadRequest, "Not an event", $"The body is a JSON {Kind(root)}; send an object, an array of objects or NDJSON.");
            var number = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (Add(element, ++number, line: null, schema, maxEvents, events) is { } error) return error;
            }
            return null;
        }
    }

    private static EventBodyError? ParseLines(ReadOnlyMemory<byte> body, EventSchema schema, int maxEvents, List<string> events)
    {
        var rest = body;
        var line = 0;
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.Span.IndexOf((byte)'\n');
            var text = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (IsBlank(text.Span)) continue;
            try
            {
                using var document = JsonDocument.Parse(text);
                if (Add(document.RootElement, events.Count + 1, line, schema, maxEvents, events) is { } error) return error;
            }
            catch (JsonException e)
            {
                return Invalid(e, line);
            }
        }
        return null;
    }

    private static EventBodyError? Add(JsonElement element, int number, int? line, EventSchema schema, int maxEvents, List<string> events)
    {
        var where = line is { } l ? $"Event {number} (line {l})" : $"Event {number}";
        if (number > maxEvents)
            return new EventBodyError(StatusCodes.Status413PayloadTooLarge, "Too many events", $"A request holds at most {maxEvents} events; split it.");
        if (element.ValueKind != JsonValueKind.Object)
            return new EventBodyError(StatusCodes.Status400BadRequest, "Not an event", $"{where} is a JSON {Kind(element)}; every event must be a JSON object.");
        foreach (var field in schema.RequiredFields)
        {
            if (!element.TryGetProperty(field, out var value))
                return new EventBodyError(StatusCodes.Status400BadRequest, "Missing required field", $"{where} lacks the required field '{field}'.");
            if (value.ValueKind == JsonValueKind.Null)
                return new EventBodyError(StatusCodes.Status400BadRequest, "Missing required field", $"{where} has null in the required field '{field}'.");
        }
        foreach (var field in schema.NumericFields)
        {
            if (element.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
                return new EventBodyError(StatusCodes.Status400BadRequest, "Wrong field type", $"{where}: '{field}' must be a number, not a JSON {Kind(value)}.");
        }
        events.Add(element.GetRawText());
        return null;
    }

    private static EventBodyError Invalid(JsonException e, int? line)
    {
        var position = line is { } l ? $"line {l}, byte {e.BytePositionInLine + 1}" : $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
        var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        return new EventBodyError(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not valid JSON at {position}: {reason}");
    }

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.Trim(" \t\r\n"u8).IsEmpty;

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
