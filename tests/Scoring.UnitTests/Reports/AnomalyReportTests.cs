using System.Globalization;
using System.Text;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.UnitTests.Reports;

public sealed class AnomalyReportTests
{
    [Fact]
    public void The_report_is_the_bytes_of_the_line_by_line_reference_with_keys_and_features_that_need_quoting()
    {
        var random = new Random(16);
        double[] oddRisks = [-0.00001, 0.00005, 0.000049999999999999996, 99.99995, 1e15, double.NaN, double.PositiveInfinity];
        string[] names = ["amount", "amount, usd", "say \"hi\"", "país", "hour"];
        string?[] notes = [null, "", "plain", "a, b", "quote \" in", "line\nbreak", "é"];
        var anomalies = Enumerable.Range(0, 3_000).Select(i => new AnomalyRecord(
            i * 7L + 1, 1,
            new Dictionary<string, string?> { ["id"] = $"t-{i}", ["note"] = notes[random.Next(notes.Length)] },
            random.Next(10) == 0 ? oddRisks[random.Next(oddRisks.Length)] : Math.Round(50 + random.NextDouble() * 50, 4),
            random.Next(2) == 0 ? "review" : "block",
            [.. Enumerable.Range(0, random.Next(4)).Select(_ => names[random.Next(names.Length)])])).ToList();
        string[] keys = ["id", "note", "missing"];

        var report = AnomalyReport.Utf8(anomalies, keys);

        Assert.Equal(Encoding.UTF8.GetBytes(Reference(anomalies, keys)), report);
        var text = Encoding.UTF8.GetString(report);
        Assert.Contains(",\"a, b\",", text, StringComparison.Ordinal);
        Assert.Contains(",\"line\nbreak\",", text, StringComparison.Ordinal);
        Assert.Contains(",\"amount, usd", text, StringComparison.Ordinal);
        Assert.Contains(",-0,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_report_is_its_header()
    {
        Assert.Equal(Encoding.UTF8.GetBytes($"row,id,risk,decision,top_features{Environment.NewLine}"), AnomalyReport.Utf8([], ["id"]));
    }

    /// <summary>The report as it was written before: a string built line by line, each field through ToString and CsvField.Quote.</summary>
    private static string Reference(IReadOnlyList<AnomalyRecord> anomalies, IReadOnlyList<string> keyColumns)
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
