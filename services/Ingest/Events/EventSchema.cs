using System.Text.Json;

namespace Vigil.Ingest.Events;

/// <summary>
/// What every event of a dataset must carry, taken from its definition: the key columns, the entity and timestamp
/// columns when declared, and the non-nullable columns of a declared expected schema (numeric ones must be numbers).
/// </summary>
public sealed record EventSchema(
    IReadOnlyList<string> KeyColumns, string? EntityColumn, string? TimestampColumn,
    IReadOnlyList<string> RequiredFields, IReadOnlySet<string> NumericFields)
{
    public static EventSchema FromDefinition(JsonElement definition)
    {
        var keys = Strings(definition, "keyColumns");
        var entity = Text(definition, "entityColumn");
        var timestamp = Text(definition, "timestampColumn");
        var required = new List<string>(keys);
        var numeric = new HashSet<string>(StringComparer.Ordinal);
        if (definition.TryGetProperty("expectedSchema", out var schema) && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array)
        {
            foreach (var column in columns.EnumerateArray())
            {
                if (Text(column, "name") is not { } name) continue;
                var nullable = !column.TryGetProperty("nullable", out var flag) || flag.ValueKind != JsonValueKind.False;
                if (!nullable) required.Add(name);
                if (Text(column, "type")?.ToLowerInvariant() is "integer" or "decimal") numeric.Add(name);
            }
        }
        if (entity is not null) required.Add(entity);
        if (timestamp is not null) required.Add(timestamp);
        return new EventSchema(keys, entity, timestamp, [.. required.Distinct(StringComparer.Ordinal)], numeric);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
