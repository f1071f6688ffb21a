using System.Diagnostics;
using System.Globalization;
using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Evaluation;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Quality on labelled data the project did not generate: every CSV in a folder with a <c>label</c> column (1 = anomaly).
/// The default configuration trains fully unsupervised (the label column is removed before training, so neither the
/// detectors nor the weights see it) on all rows, scores all rows, and is ranked against the labels; the share of clean
/// rows flagged (review or block) at the default thresholds is reported for the trained model and for the no-model
/// fallback. One table per metric, one row per dataset, then the mean.
/// </summary>
public static class PublicRun
{
    private const string Label = "label";
    private static readonly string[] Detectors = ["statistical", "isolation_forest", "autoencoder", "relations", "co_occurrence", "histogram", "ensemble", "equal weights"];

    public static void Run(string folder)
    {
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList();
        Console.WriteLine($"# Scoring quality on {folder}, unsupervised (label hidden)");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        var results = new List<Result>();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            TypedTable table;
            using (var stream = File.OpenRead(file)) table = TableReader.Read(stream, TableReader.CsvMediaType);
            if (!table.TryGetColumn(Label, out var labelColumn))
            {
                Console.Error.WriteLine($"[{name}] skipped: no '{Label}' column");
                continue;
            }
            var labels = Enumerable.Range(0, table.RowCount).Select(r => !labelColumn.IsNull(r) && labelColumn.GetDouble(r) != 0).ToArray();
            var keys = table.HasColumn("id") ? new[] { "id" } : table.Columns.Select(c => c.Name).Where(n => n.EndsWith("_id", StringComparison.Ordinal)).Take(1).ToArray();
            results.Add(Evaluate(name, Hide(table, Label), keys, labels));
        }
        if (results.Count == 0)
        {
            Console.WriteLine("No CSV with a label column.");
            return;
        }
        Table("ROC-AUC", results, r => r.Roc);
        Table("PR-AUC (average precision)", results, r => r.Pr);
        Console.WriteLine("## Clean rows flagged at the default thresholds (share of label-0 rows)");
        Console.WriteLine();
        Console.WriteLine("| Dataset | Rows | Anomalies | Trained: review or block | Trained: block | No model: review or block | No model: block | Weights (stat / forest / AE / relations / co-occurrence / histogram) | Training s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Name} | {r.Rows:N0} | {r.Anomalies:N0} | {Percent(r.Flagged)} | {Percent(r.Blocked)} | {Percent(r.FallbackFlagged)} | {Percent(r.FallbackBlocked)} | {r.Weights} | {r.TrainingSeconds:F1} |");
        Console.WriteLine();
    }

    private sealed record Result(string Name, int Rows, int Anomalies, double[] Roc, double[] Pr, double Flagged, double Blocked,
        double FallbackFlagged, double FallbackBlocked, string Weights, double TrainingSeconds);

    private static Result Evaluate(string name, TypedTable table, IReadOnlyList<string> keys, bool[] labels)
    {
        Console.Error.WriteLine($"[{name}] {table.RowCount:N0} rows: training");
        var clock = Stopwatch.StartNew();
        var (model, _) = EnsembleTrainer.Train(table, new TrainingRequest { KeyColumns = keys, Seed = QualityRun.TrainingSeed });
        var seconds = clock.Elapsed.TotalSeconds;
        var features = model.Pipeline.Transform(table);
        var scores = model.Score(features);
        var equal = model.With(EqualOverInformative(model.Weights), model.Thresholds, model.Reference).Score(features);
        float[]?[] ranked =
        [
            model.Statistical.Score(features).Scores,
            model.Forest?.Score(features).Scores,
            model.Autoencoder?.Score(features).Scores,
            model.Relations?.Score(features).Scores,
            model.CoOccurrence?.Score(features).Scores,
            model.Histogram?.ScoresOnly(features),
            [.. scores.Evidence.Select(e => (float)e)],
            [.. equal.Evidence.Select(e => (float)e)],
        ];
        var fallback = BatchFallbackScorer.Score(table, keys).Scores;
        var clean = labels.Count(l => !l);
        double Share(EnsembleScores s, Func<string, bool> counted) =>
            clean == 0 ? 0 : (double)Enumerable.Range(0, labels.Length).Count(r => !labels[r] && counted(s.Decision(r))) / clean;
        var w = model.Weights;
        return new Result(name, table.RowCount, labels.Count(l => l),
            [.. ranked.Select(s => s is null ? double.NaN : ClassificationMetrics.RocAuc(s, labels))],
            [.. ranked.Select(s => s is null ? double.NaN : ClassificationMetrics.PrAuc(s, labels))],
            Share(scores, d => d != Decisions.Approve), Share(scores, d => d == Decisions.Block),
            Share(fallback, d => d != Decisions.Approve), Share(fallback, d => d == Decisions.Block),
            string.Create(CultureInfo.InvariantCulture, $"{w.Statistical:0.##} / {w.IsolationForest:0.##} / {w.Autoencoder:0.##} / {w.Relations:0.##} / {w.CoOccurrence:0.##} / {w.Histogram:0.##} ({w.Source}){(model.Relations?.ConditionedOn is { } c ? $", relations by {c}" : "")}"),
            seconds);
    }

    /// <summary>Equal weights over the detectors the default weighting kept (a dropped, flat detector stays out).</summary>
    private static EnsembleWeights EqualOverInformative(EnsembleWeights w) =>
        new(w.Statistical > 0 ? 1 : 0, w.IsolationForest > 0 ? 1 : 0, w.Autoencoder > 0 ? 1 : 0)
        {
            Relations = w.Relations > 0 ? 1 : 0,
            CoOccurrence = w.CoOccurrence > 0 ? 1 : 0,
            Histogram = w.Histogram > 0 ? 1 : 0,
            Source = "equal",
        };

    /// <summary>The table without one column, so that nothing downstream can read it.</summary>
    internal static TypedTable Hide(TypedTable table, string column) =>
        new([.. table.Columns.Where(c => c.Name != column)], table.RowCount);

    private static void Table(string title, IReadOnlyList<Result> results, Func<Result, double[]> metric)
    {
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine($"| Dataset | {string.Join(" | ", Detectors)} | ensemble - isolation_forest |");
        Console.WriteLine($"|---|{string.Concat(Detectors.Select(_ => "---:|"))}---:|");
        foreach (var r in results)
        {
            var m = metric(r);
            Console.WriteLine($"| {r.Name} | {string.Join(" | ", m.Select(Number))} | {Number(m[6] - m[1])} |");
        }
        var means = Enumerable.Range(0, Detectors.Length).Select(i => results.Select(r => metric(r)[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()).ToArray();
        var worst = results.Min(r => metric(r)[6] - metric(r)[1]);
        Console.WriteLine($"| **mean** | {string.Join(" | ", means.Select(m => $"**{Number(m)}**"))} | worst {Number(worst)} |");
        Console.WriteLine();
    }

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    private static string Percent(double share) => (100 * share).ToString("F2", CultureInfo.InvariantCulture) + " %";
}
