using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Features;

/// <summary>Small tables for tests, one column at a time.</summary>
internal static class Tables
{
    /// <summary>A table of one column from texts (null or "" = null), typed by inference.</summary>
    public static TypedTable OneColumn(string name, params string?[] values) =>
        TypedTable.FromRows([name], values.Select(v => new[] { v }));

    public static TypedTable Of(params Column[] columns) => new(columns, columns.Length == 0 ? 0 : columns[0].Length);

    public static Column Decimals(string name, params double[] values) => Column.Decimals(name, values, new bool[values.Length]);

    public static Column Strings(string name, params string[] values) => Column.Strings(name, values, new bool[values.Length]);

    /// <summary>The same texts as a dictionary-encoded categorical column (codes in order of first appearance).</summary>
    public static Column Categoricals(string name, params string[] values)
    {
        var categories = values.Distinct(StringComparer.Ordinal).ToArray();
        var codes = values.Select(v => Array.IndexOf(categories, v)).ToArray();
        return Column.Categoricals(name, codes, categories, new bool[values.Length]);
    }

    public static string[] Repeat(params (string Value, int Times)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Times))];
}
