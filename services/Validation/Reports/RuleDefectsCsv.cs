using System.Text;
using Vigil.Tabular.Tables;
using Vigil.Tabular.Writing;
using Vigil.Validation.Rules;

namespace Vigil.Validation.Reports;

/// <summary>
/// defects.csv: one line per failing row per rule (RFC 4180), with the row's key values and the values the rule looked
/// at, so every defect can be found in the source system. Table-level failures (row_count, a missing column) get one
/// line with no row.
/// </summary>
public static class RuleDefectsCsv
{
    public static void Write(RuleReport report, TypedTable table, IReadOnlyList<string> keyColumns, Stream output)
    {
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', new[] { "rule", "kind", "severity", "row" }.Concat(keys.Select(k => k.Name)).Append("values").Append("message").Select(CsvField.Quote)));
        foreach (var result in report.Results.Where(r => !r.Passed))
        {
            var prefix = $"{CsvField.Quote(result.Name)},{CsvField.Quote(RuleNames.Of(result.Kind))},{CsvField.Quote(result.Severity.ToString().ToLowerInvariant())}";
            if (result.FailingRowIndexes.Count == 0)
            {
                writer.WriteLine($"{prefix},{new string(',', keys.Length)},,{CsvField.Quote(result.Message)}");
                continue;
            }
            var columns = result.Columns.Where(table.HasColumn).Select(name => table[name]).ToArray();
            foreach (var row in result.FailingRowIndexes)
            {
                writer.Write(prefix);
                writer.Write(',');
                writer.Write(row + 1);
                foreach (var key in keys)
                {
                    writer.Write(',');
                    writer.Write(CsvField.Quote(key.GetText(row)));
                }
                writer.Write(',');
                writer.Write(CsvField.Quote(string.Join("; ", columns.Select(c => $"{c.Name}={(c.IsNull(row) ? "null" : c.GetText(row))}"))));
                writer.WriteLine(",");
            }
        }
    }
}
