namespace Vigil.Ingest.Intake;

/// <summary>The batch formats Ingest accepts, keyed by media type.</summary>
public static class BatchFormat
{
    private static readonly Dictionary<string, string> ExtensionByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/csv"] = "csv",
        ["application/json"] = "json",
        ["application/x-ndjson"] = "ndjson",
    };

    public static IEnumerable<string> MediaTypes => ExtensionByMediaType.Keys;

    /// <summary>The canonical media type and file extension for a Content-Type header, or null when unsupported.</summary>
    public static (string MediaType, string Extension)? Recognize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        var mediaType = contentType.Split(';')[0].Trim();
        return ExtensionByMediaType.TryGetValue(mediaType, out var extension) ? (mediaType.ToLowerInvariant(), extension) : null;
    }
}
