using System.Globalization;
using Vigil.Tabular.Parsing;
using Vigil.Tabular.Tables;
using Vigil.Validation.Reconciliation;

namespace Vigil.Validation.UnitTests.Reconciliation;

/// <summary>Small tables written inline, and the defects CSV read back.</summary>
internal static class Tables
{
    /// <summary>A table from a comma-separated header and rows (no quoting; an empty field is null).</summary>
    public static TypedTable Of(string header, params string[] rows) =>
        TypedTable.FromRows(header.Split(','), rows.Select(r => r.Split(',').Select(f => f.Length == 0 ? null : f).ToArray()));

    public static ReconciliationOptions Keys(params string[] keys) => new() { KeyColumns = keys };

    /// <summary>Writes the defects CSV and parses it back: the header, then every record as its fields.</summary>
    public static (IReadOnlyList<string> Header, List<string[]> Rows) DefectsCsv(ReconciliationResult result, TypedTable source, TypedTable target,
        ReconciliationOptions options)
    {
        using var buffer = new MemoryStream();
        ReconciliationDefectsCsv.Write(result, source, target, options, buffer);
        buffer.Position = 0;
        using var reader = new CsvRecordReader(buffer);
        var header = reader.ReadHeader().ToArray();
        var rows = new List<string[]>();
        while (reader.ReadRecord())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = reader.GetFieldString(i);
            rows.Add(fields);
        }

        return (header, rows);
    }

    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
