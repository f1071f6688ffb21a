using System.Text.Json;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Feedback;

/// <summary>
/// Record keys in feedback: each names a record of the run by its key columns, as an object
/// (<c>{"payment_id": "p-00101"}</c>) or, when the dataset has one key column, as the bare value (<c>"p-00101"</c>).
/// Values are compared as the run's text, the way anomalies report their keys.
/// </summary>
public static class FeedbackKeys
{
    /// <summary>A key as one string (the JSON array of its values in key-column order), to look rows up by.</summary>
    public static string Identity(IReadOnlyList<string?> values) => JsonSerializer.Serialize(values);

    /// <summary>The given keys as values in key-column order, or what is wrong with their shape.</summary>
    public static (IReadOnlyList<string?[]> Keys, string? Error) Parse(IReadOnlyList<string> keyColumns, IReadOnlyList<JsonElement> given)
    {
        var keys = new List<string?[]>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var key = given[i];
            if (key.ValueKind == JsonValueKind.Object)
            {
                var names = key.EnumerateObject().Select(p => p.Name).ToList();
                if (names.Count != keyColumns.Count || !keyColumns.All(names.Contains))
                    return ([], $"keys[{i}] names {Show(names)}; each key names exactly the key columns {Show(keyColumns)}.");
                var values = new string?[keyColumns.Count];
                for (var c = 0; c < keyColumns.Count; c++)
                {
                    if (!TryText(key.GetProperty(keyColumns[c]), out values[c]))
                        return ([], $"keys[{i}].{keyColumns[c]} must be a string, number or null.");
                }
                keys.Add(values);
            }
            else if (keyColumns.Count == 1 && TryText(key, out var single) && single is not null)
            {
                keys.Add([single]);
            }
            else
            {
                return ([], keyColumns.Count == 1
                    ? $"keys[{i}] must be the value of {keyColumns[0]} or an object naming it."
                    : $"keys[{i}] must be an object naming the key columns {Show(keyColumns)}.");
            }
        }
        return (keys, null);
    }

    /// <summary>The run's zero-based rows by key identity (a key that repeats in the batch names every row that has it).</summary>
    public static IReadOnlyDictionary<string, List<int>> Index(TypedTable table, IReadOnlyList<string> keyColumns)
    {
        var columns = keyColumns.Select(name => table[name]).ToArray();
        var index = new Dictionary<string, List<int>>(table.RowCount, StringComparer.Ordinal);
        var values = new string?[columns.Length];
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < columns.Length; c++) values[c] = columns[c].IsNull(row) ? null : columns[c].GetText(row);
            var identity = Identity(values);
            if (!index.TryGetValue(identity, out var rows)) index[identity] = rows = [];
            rows.Add(row);
        }
        return index;
    }

    /// <summary>A key as the object anomalies show it (key column -> value).</summary>
    public static Dictionary<string, string?> AsObject(IReadOnlyList<string> keyColumns, IReadOnlyList<string?> values) =>
        keyColumns.Select((name, c) => (name, values[c])).ToDictionary(p => p.name, p => p.Item2);

    private static bool TryText(JsonElement value, out string? text)
    {
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null;
    }

    private static string Show(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
