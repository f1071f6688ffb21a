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

            Console.Error.WriteLine($"[{name}] training on {training.Rows:N0} rows");
            var clock = Stopwatch.StartNew();
            var (model, metrics) = EnsembleTrainer.Train(trainingTable, new TrainingRequest
            {
                KeyColumns = training.KeyColumns,
                LabelColumn = SeedDatasets.LabelColumn,
                Seed = TrainingSeed,
            });
            var trainingSeconds = clock.Elapsed.TotalSeconds;

            Console.Error.WriteLine($"[{name}] scoring {evaluation.Rows:N0} rows");
            clock.Restart();
            var features = model.Pipeline.Transform(evaluationTable);
            var detectors = new List<(string Name, float[]? Scores)>
            {
                (model.Statistical.Name, model.Statistical.Score(features).Scores),
                ("isolation_forest", model.Forest?.Score(features).Scores),
                ("autoencoder", model.Autoencoder?.Score(features).Scores),
                ("ensemble", [.. model.Score(features).Risk.Select(r => (float)r)]),
            };
            var scoringSeconds = clock.Elapsed.TotalSeconds;

            Console.WriteLine($"## {name}");
            Console.WriteLine();
            Console.WriteLine($"Training batch {training.Rows:N0} rows x {training.Columns} columns ({training.Anomalies:N0} labelled anomalies left out), " +
                $"evaluation batch {evaluation.Rows:N0} rows with {evaluation.Anomalies:N0} anomalies; {features.Columns} features. " +
                $"Training {trainingSeconds:F1} s (fit {metrics.TrainingRows:N0}, calibrate {metrics.CalibrationRows:N0}); " +
                $"scoring the evaluation batch with every detector {scoringSeconds:F1} s.");
            Console.WriteLine();
            Console.WriteLine($"| Detector | ROC-AUC | PR-AUC | Recall@{evaluation.Anomalies} |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (detector, scores) in detectors)
            {
                if (scores is null)
                {
                    Console.WriteLine($"| {detector} | n/a | n/a | n/a |");
                    continue;
                }
                Console.WriteLine($"| {detector} | {ClassificationMetrics.RocAuc(scores, evaluation.Labels):F4} | " +
                    $"{ClassificationMetrics.PrAuc(scores, evaluation.Labels):F4} | {ClassificationMetrics.RecallAtK(scores, evaluation.Labels):F4} |");
            }
            Console.WriteLine();
        }
    }

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
