using System.Globalization;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Evaluation;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Other ways of combining the same trained detectors, on every CSV in a folder with a <c>label</c> column, trained as
/// <see cref="PublicRun"/> trains (label hidden). Each rule combines the detectors' calibrated evidence e = -ln p (p the
/// share of held-out normal records scoring higher) per record; the table gives each rule's ROC-AUC minus the isolation
/// forest's, the per-set target of issue 13. It answers one question: is the gap to the forest on some sets a matter of
/// the combination rule, or of the detectors?
/// </summary>
public static class CombinationRun
{
    private delegate double Rule(double[] evidence, double[] weights);

    private static readonly (string Name, Rule Combine)[] Rules =
    [
        ("equal mean (Fisher)", (e, _) => e.Average()),
        ("mean of p", (e, _) => -e.Average(v => Math.Exp(-v))),
        ("Stouffer", (e, _) => e.Average(Probit)),
        ("median", (e, _) => Median(e)),
        ("mean without the largest", (e, _) => e.Length > 1 ? (e.Sum() - e.Max()) / (e.Length - 1) : e[0]),
        ("max (min-p)", (e, _) => e.Max()),
        ("harmonic mean p", (e, _) => Math.Log(e.Average(v => Math.Exp(Math.Min(v, 50))))),
        ("mean of min(e, 5)", (e, _) => e.Average(v => Math.Min(v, 5))),
        ("mean of sqrt(e)", (e, _) => e.Average(Math.Sqrt)),
        ("default weights, sqrt(e)", (e, w) => e.Select((v, i) => w[i] * Math.Sqrt(v)).Sum()),
        ("default weights, mean of p", (e, w) => -e.Select((v, i) => w[i] * Math.Exp(-v)).Sum()),
    ];

    public static void Run(string folder)
    {
        var results = new List<(string Name, double Forest, double[] Gaps)>();
        foreach (var file in Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal))
        {
            TypedTable table;
            using (var stream = File.OpenRead(file)) table = TableReader.Read(stream, TableReader.CsvMediaType);
            if (!table.TryGetColumn("label", out var labelColumn)) continue;
            var name = Path.GetFileNameWithoutExtension(file);
            Console.Error.WriteLine($"[{name}] training");
            var labels = Enumerable.Range(0, table.RowCount).Select(r => !labelColumn.IsNull(r) && labelColumn.GetDouble(r) != 0).ToArray();
            var (model, _) = EnsembleTrainer.Train(PublicRun.Hide(table, "label"), new TrainingRequest { Seed = QualityRun.TrainingSeed });
            var features = model.Pipeline.Transform(table);
            var byDetector = model.EvidenceByDetector(features);
            // The detectors the default weighting kept (a flat one is dropped), with their default weights.
            var kept = byDetector.Keys.Where(n => model.Weights.For(n) > 0).ToList();
            var weights = kept.Select(model.Weights.For).ToArray();
            weights = [.. weights.Select(w => w / weights.Sum())];
            double Roc(IEnumerable<double> scores) => ClassificationMetrics.RocAuc([.. scores.Select(s => (float)s)], labels);
            var forest = Roc(byDetector["isolation_forest"]);
            var gaps = new List<double> { Roc(model.Score(features).Evidence) - forest };
            foreach (var (_, combine) in Rules)
                gaps.Add(Roc(Enumerable.Range(0, features.Rows).Select(r => combine([.. kept.Select(n => byDetector[n][r])], weights))) - forest);
            gaps.Add(Roc(Enumerable.Range(0, features.Rows).Select(r => byDetector["isolation_forest"][r] + byDetector["autoencoder"][r])) - forest);
            results.Add((name, forest, [.. gaps]));
        }
        string[] names = ["default", .. Rules.Select(r => r.Name), "forest + autoencoder only"];
        Console.WriteLine("# Combination rules: ROC-AUC minus the isolation forest's (label hidden from training)");
        Console.WriteLine();
        Console.WriteLine($"| dataset | forest | {string.Join(" | ", names)} |");
        Console.WriteLine($"|---|---:|{string.Concat(names.Select(_ => "---:|"))}");
        foreach (var (name, forest, gaps) in results)
            Console.WriteLine($"| {name} | {forest:F3} | {string.Join(" | ", gaps.Select(Signed))} |");
        Console.WriteLine($"| **worst** | | {string.Join(" | ", names.Select((_, i) => Signed(results.Min(r => r.Gaps[i]))))} |");
        Console.WriteLine($"| **mean ROC-AUC** | {results.Average(r => r.Forest):F3} | {string.Join(" | ", names.Select((_, i) => results.Average(r => r.Forest + r.Gaps[i]).ToString("F3", CultureInfo.InvariantCulture)))} |");
        Console.WriteLine();
    }

    private static string Signed(double value) => value.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The standard normal quantile of 1 - p for p = e^-evidence (Abramowitz and Stegun 26.2.23, error below 4.5e-4).</summary>
    private static double Probit(double evidence)
    {
        var p = Math.Clamp(Math.Exp(-evidence), 1e-300, 1 - 1e-12);
        var t = Math.Sqrt(-2 * Math.Log(Math.Min(p, 1 - p)));
        var z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
        return p < 0.5 ? z : -z;
    }
}
