using System.Globalization;
using System.Text.Json;

namespace Vigil.Lineage.OpenLineage;

/// <summary>
/// The columns of a validated batch with their inferred types and profiles, as Validation's report
/// (<c>validation.json</c>, section <c>schema</c>) lists them. Read so the schema facet carries types and the
/// data-quality facet per-column metrics; without the report, events fall back to the column names of the message.
/// </summary>
public sealed record ValidatedColumns(long RowCount, IReadOnlyList<ColumnFacts> Columns)
{
    /// <summary>The quantile levels of a profile's <c>quantiles</c> list, in order (Validation's ColumnProfile.QuantileLevels).</summary>
    public static readonly IReadOnlyList<double> QuantileLevels = [0.01, 0.25, 0.50, 0.75, 0.99];

    /// <summary>The columns of a validation report, or null when the report has no schema section with named columns.</summary>
    public static ValidatedColumns? FromReport(JsonElement report)
    {
        if (report.ValueKind != JsonValueKind.Object
            || !report.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array)
            return null;

        var facts = new List<ColumnFacts>();
        foreach (var column in columns.EnumerateArray())
        {
            if (String(column, "name") is not { Length: > 0 } name) return null;
            facts.Add(new ColumnFacts(name, String(column, "type"))
            {
                NullRate = Number(column, "nullRate"),
                DistinctCount = Number(column, "distinctCount") is { } distinct ? (long)distinct : null,
                Min = Number(column, "min"),
                Max = Number(column, "max"),
                Quantiles = Quantiles(column),
            });
        }
        var rowCount = Number(schema, "rowCount") ?? Number(report, "rowCount") ?? 0;
        return new ValidatedColumns((long)rowCount, facts);
    }

    private static IReadOnlyDictionary<string, double>? Quantiles(JsonElement column)
    {
        if (!column.TryGetProperty("quantiles", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != QuantileLevels.Count)
            return null;
        var quantiles = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var i = 0;
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number) return null;
            quantiles[QuantileLevels[i++].ToString(CultureInfo.InvariantCulture)] = value.GetDouble();
        }
        return quantiles;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}

/// <summary>One column of a validated batch: name, inferred type (integer, decimal, boolean, timestamp, string, categorical) and profile.</summary>
public sealed record ColumnFacts(string Name, string? Type)
{
    /// <summary>Share of null rows, 0..1.</summary>
    public double? NullRate { get; init; }
    public long? DistinctCount { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyDictionary<string, double>? Quantiles { get; init; }
}
