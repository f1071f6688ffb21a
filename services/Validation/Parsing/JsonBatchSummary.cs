using System.Text;
using System.Text.Json;

namespace Vigil.Validation.Parsing;

/// <summary>Reads JSON-array and NDJSON batches record by record (never the whole document at once).</summary>
public static class JsonBatchSummary
{
    public static BatchShape SummarizeArray(Stream content)
    {
        var columns = new ColumnCollector();
        long rows = 0;
        try
        {
            foreach (var record in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(content).ToBlockingEnumerable())
            {
                rows++;
                columns.Add(record, rows);
            }
        }
        catch (JsonException e)
        {
            throw new BatchFormatException($"The batch is not a valid JSON array of objects: {e.Message}", e);
        }
        return new BatchShape(columns.Names, rows);
    }

    public static BatchShape SummarizeLines(Stream content)
    {
        var columns = new ColumnCollector();
        long rows = 0;
        long line = 0;
        using var reader = new StreamReader(content, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                using var document = JsonDocument.Parse(text);
                rows++;
                columns.Add(document.RootElement, rows);
            }
        }
        catch (JsonException e)
        {
            throw new BatchFormatException($"Line {line} is not valid JSON: {e.Message}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new BatchFormatException($"The batch is not valid UTF-8 (line {line + 1}).", e);
        }
        return new BatchShape(columns.Names, rows);
    }

    /// <summary>Column names in order of first appearance across all records.</summary>
    private sealed class ColumnCollector
    {
        private readonly List<string> _names = [];
        private readonly HashSet<string> _seen = [];

        public IReadOnlyList<string> Names => _names;

        public void Add(JsonElement record, long row)
        {
            if (record.ValueKind != JsonValueKind.Object)
                throw new BatchFormatException($"Record {row} is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object.");
            foreach (var property in record.EnumerateObject())
            {
                if (_seen.Add(property.Name)) _names.Add(property.Name);
            }
        }
    }
}
