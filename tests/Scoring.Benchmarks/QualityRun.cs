using System.Diagnostics;
using System.Globalization;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Evaluation;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Per seed dataset: train the ensemble on a training batch (seed 1, its labelled anomalies left out of training),
/// score a separate evaluation batch (seed 2, its own injected anomalies) and rank each detector's scores and the
/// ensemble risk against the true labels.
/// </summary>
public static class QualityRun
{
    public const int TrainingSeed = 1;
    public const int EvaluationSeed = 2;

    public static void Run(double scale)
    {
        Console.WriteLine($"# Scoring quality, scale {Format(scale)}");
        Console.WriteLine();
        Console.WriteLine(Environment());
        foreach (var name in SeedDatasets.Names)
        {
            Console.Error.WriteLine($"[{name}] generating");
            var training = SeedDatasets.Generate(name, scale, TrainingSeed);
            var evaluation = SeedDatasets.Generate(name, scale, EvaluationSeed);
            var trainingTable = Read(training.Csv);
            var evaluationTable = Read(evaluation.Csv);

            Console.Error.WriteLine($"[{name}] training on {training.Rows:N0} rows, weights from perturbations");
            var clock = Stopwatch.StartNew();
            var request = new TrainingRequest { KeyColumns = training.KeyColumns, LabelColumn = SeedDatasets.LabelColumn, Seed = TrainingSeed };
            var (unsupervised, _) = EnsembleTrainer.Train(trainingTable, request with { WeightSelection = WeightSelection.Perturbations });
            var trainingSeconds = clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"[{name}] training again, weights from labels when there are enough");
            var (model, metrics) = EnsembleTrainer.Train(trainingTable, request);

            Console.Error.WriteLine($"[{name}] scoring {evaluation.Rows:N0} rows");
            clock.Restart();
            var features = model.Pipeline.Transform(evaluationTable);
            // Ensembles are ranked by their evidence: the risk is the same order, but rounded and saturating at 100.
            var detectors = new List<(string Name, float[]? Scores)>
            {
                (model.Statistical.Name, model.Statistical.Score(features).Scores),
                ("isolation_forest", model.Forest?.Score(features).Scores),
                ("autoencoder", model.Autoencoder?.Score(features).Scores),
                ("relations", model.Relations?.Score(features).Scores),
                ("co_occurrence", model.CoOccurrence?.Score(features).Scores),
                ("histogram", model.Histogram?.ScoresOnly(features)),
                ($"ensemble, weights from {unsupervised.Weights.Source}", [.. unsupervised.Score(features).Evidence.Select(e => (float)e)]),
            };
            if (model.Weights.Source != unsupervised.Weights.Source)
                detectors.Add(($"ensemble, weights from {model.Weights.Source}", [.. model.Score(features).Evidence.Select(e => (float)e)]));
            var scoringSeconds = clock.Elapsed.TotalSeconds;

            Console.WriteLine($"## {name}");
            Console.WriteLine();
            Console.WriteLine($"Training batch {training.Rows:N0} rows x {training.Columns} columns ({training.Anomalies:N0} labelled anomalies left out), " +
                $"evaluation batch {evaluation.Rows:N0} rows with {evaluation.Anomalies:N0} anomalies; {features.Columns} features. " +
                $"Training {trainingSeconds:F1} s (fit {metrics.TrainingRows:N0}, calibrate {metrics.CalibrationRows:N0}); " +
                $"scoring the evaluation batch with every detector {scoringSeconds:F1} s.");
            Console.WriteLine();
            Console.WriteLine($"Weights (statistical / isolation forest / autoencoder / relations): {Describe(unsupervised.Weights)}" +
                (model.Weights.Source != unsupervised.Weights.Source ? $"; {Describe(model.Weights)}" : "") + ".");
            Console.WriteLine();
            var kinds = evaluation.Kinds.Where(k => k is not null).Distinct().Order().ToList();
            Console.WriteLine($"| Detector | ROC-AUC | PR-AUC | Recall@{evaluation.Anomalies} | {string.Join(" | ", kinds.Select(k => $"{k} ({evaluation.Kinds.Count(x => x == k)})"))} |");
            Console.WriteLine($"|---|---:|---:|---:|{string.Concat(kinds.Select(_ => "---:|"))}");
            foreach (var (detector, scores) in detectors)
            {
                if (scores is null)
                {
                    Console.WriteLine($"| {detector} | n/a | n/a | n/a |");
                    continue;
                }
                var perKind = RecallAtTrueCountByKind(scores, evaluation.Kinds, evaluation.Anomalies);
                Console.WriteLine($"| {detector} | {ClassificationMetrics.RocAuc(scores, evaluation.Labels):F4} | " +
                    $"{ClassificationMetrics.PrAuc(scores, evaluation.Labels):F4} | {ClassificationMetrics.RecallAtK(scores, evaluation.Labels):F4} | " +
                    string.Join(" | ", kinds.Select(k => perKind[k!].ToString("F3", CultureInfo.InvariantCulture))) + " |");
            }
            Console.WriteLine();
        }
    }

    /// <summary>Per kind of injected anomaly, the share of its rows among the k highest-scoring rows (k = all anomalies).</summary>
    internal static Dictionary<string, double> RecallAtTrueCountByKind(float[] scores, IReadOnlyList<string?> kinds, int k)
    {
        var top = Enumerable.Range(0, scores.Length).OrderByDescending(r => scores[r]).Take(k).ToHashSet();
        return kinds.Select((kind, row) => (kind, row)).Where(p => p.kind is not null).GroupBy(p => p.kind!)
            .ToDictionary(g => g.Key, g => (double)g.Count(p => top.Contains(p.row)) / g.Count());
    }

    private static string Describe(EnsembleWeights w) =>
        string.Create(CultureInfo.InvariantCulture, $"{w.Statistical:0.###} / {w.IsolationForest:0.###} / {w.Autoencoder:0.###} / {w.Relations:0.###} / {w.CoOccurrence:0.###} / {w.Histogram:0.###} ({w.Source})");

    internal static TypedTable Read(byte[] csv)
    {
        using var stream = new MemoryStream(csv, writable: false);
        return TableReader.Read(stream, TableReader.CsvMediaType);
    }

    internal static string Environment() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Environment.ProcessorCount} logical cores, " +
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, server GC {System.Runtime.GCSettings.IsServerGC}.\n";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
