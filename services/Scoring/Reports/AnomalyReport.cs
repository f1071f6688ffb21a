using System.Text;
using Vigil.Scoring.Storage;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Reports;

/// <summary>
/// The anomaly report (<c>anomalies.csv</c>): one line per record not approved, with its key, risk, decision and top
/// features; UTF-8, lines ended by <see cref="Environment.NewLine"/>.
/// </summary>
public static class AnomalyReport
{
    public const string FileName = "anomalies.csv";

    private const int LineBytes = 96;

    public static string Key(string dataset, Guid runId) => $"reports/{dataset}/{runId}/{FileName}";

    /// <summary>The report's bytes, written straight into UTF-8 (the risk as its <c>ToString("0.####")</c>, without a string per field).</summary>
    public static byte[] Utf8(IReadOnlyList<AnomalyRecord> anomalies, IReadOnlyList<string> keyColumns)
    {
        var newLine = Encoding.UTF8.GetBytes(Environment.NewLine);
        var line = new Utf8LineWriter((anomalies.Count + 1) * LineBytes);
        line.Text(string.Join(',', new[] { "row" }.Concat(keyColumns).Concat(["risk", "decision", "top_features"]).Select(CsvField.Quote)));
        line.Bytes(newLine);
        foreach (var a in anomalies)
        {
            line.Number(a.Row);
            foreach (var key in keyColumns)
            {
                line.Byte((byte)',');
                line.Field(a.Key.GetValueOrDefault(key));
            }
            line.Byte((byte)',');
            line.FourDecimals(a.Risk);
            line.Byte((byte)',');
            line.Field(a.Decision);
            line.Byte((byte)',');
            TopFeatures(ref line, a.TopFeatures);
            line.Bytes(newLine);
        }
        var bytes = line.Written.ToArray();
        line.Return();
        return bytes;
    }

    /// <summary>The top features joined by spaces, quoted as one field only when a name needs it (as the joined text would be).</summary>
    private static void TopFeatures(ref Utf8LineWriter line, IReadOnlyList<string> features)
    {
        if (features.Any(f => CsvField.NeedsQuotes(f)))
        {
            line.Text(CsvField.Quote(string.Join(' ', features)));
            return;
        }
        for (var k = 0; k < features.Count; k++)
        {
            if (k > 0) line.Byte((byte)' ');
            line.Text(features[k]);
        }
    }
}
