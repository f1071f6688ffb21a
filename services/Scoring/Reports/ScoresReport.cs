using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Tabular.Tables;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Reports;

/// <summary>
/// Every row's score as CSV (<c>scores.csv</c>), so that a user can draw their own ROC or choose their own threshold:
/// row (1-based), the key columns, risk, decision, each detector's calibrated evidence in nats
/// (<c>evidence_&lt;detector&gt;</c>, -ln of the share of held-out normal records scoring higher) and the top features.
/// </summary>
public static class ScoresReport
{
    public const string FileName = "scores.csv";

    /// <summary>Where a run's report lives in the object store (beside its anomaly report).</summary>
    public static string Key(string dataset, Guid runId) => $"reports/{dataset}/{runId}/{FileName}";

    public static void Write(Stream destination, TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var detectors = scores.DetectorEvidence.Keys.Order(StringComparer.Ordinal).ToArray();
        var evidence = detectors.Select(d => scores.DetectorEvidence[d]).ToArray();
        using var writer = new StreamWriter(destination, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.WriteLine(string.Join(',', new[] { "row" }.Concat(keys.Select(k => k.Name)).Concat(["risk", "decision"])
            .Concat(detectors.Select(d => $"evidence_{d}")).Append("top_features").Select(CsvField.Quote)));
        var line = new StringBuilder();
        for (var row = 0; row < table.RowCount; row++)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{row + 1}");
            foreach (var key in keys) line.Append(',').Append(CsvField.Quote(key.IsNull(row) ? "" : key.GetText(row)));
            line.Append(',').Append(scores.Risk[row].ToString("0.####", CultureInfo.InvariantCulture)).Append(',').Append(scores.Decision(row));
            foreach (var values in evidence) line.Append(',').Append(values[row].ToString("0.####", CultureInfo.InvariantCulture));
            line.Append(',').Append(CsvField.Quote(string.Join(' ', scores.TopFeatures(row))));
            writer.WriteLine(line);
        }
    }
}
