using System.Globalization;
using System.Text;
using Vigil.Scoring.Storage;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Reports;

/// <summary>The anomaly report (<c>anomalies.csv</c>): one line per record not approved, with its key, risk, decision and top features.</summary>
public static class AnomalyReport
{
    public const string FileName = "anomalies.csv";

    public static string Key(string dataset, Guid runId) => $"reports/{dataset}/{runId}/{FileName}";

    public static string Csv(IReadOnlyList<AnomalyRecord> anomalies, IReadOnlyList<string> keyColumns)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "row" }.Concat(keyColumns).Concat(["risk", "decision", "top_features"]).Select(CsvField.Quote)));
        foreach (var a in anomalies)
        {
            text.AppendLine(string.Join(',', new[] { a.Row.ToString(CultureInfo.InvariantCulture) }
                .Concat(keyColumns.Select(k => a.Key.GetValueOrDefault(k) ?? ""))
                .Concat([a.Risk.ToString("0.####", CultureInfo.InvariantCulture), a.Decision, string.Join(' ', a.TopFeatures)]).Select(CsvField.Quote)));
        }
        return text.ToString();
    }
}
