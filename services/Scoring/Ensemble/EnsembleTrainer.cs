using System.Diagnostics;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>What to train on: the batch's key and label columns and rows to leave out (those that failed validation rules).</summary>
public sealed record TrainingRequest
{
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    public string? LabelColumn { get; init; }
    public IReadOnlySet<int> ExcludedRows { get; init; } = new HashSet<int>();
    public int Seed { get; init; } = 42;
    public double CalibrationShare { get; init; } = 0.2;
    public EnsembleWeights Weights { get; init; } = new();
    public AutoencoderOptions Autoencoder { get; init; } = new() { MaxEpochs = 30 };
    public IsolationForestOptions IsolationForest { get; init; } = new();
}

/// <summary>How a training went: sizes, time, the held-out risk distribution and, with labels, detection metrics.</summary>
public sealed record TrainingMetrics(
    int TrainingRows, int CalibrationRows, int ExcludedRows, double TrainingSeconds, IReadOnlyDictionary<string, double> RiskPercentiles,
    LabelledMetrics? Labelled);

public sealed record LabelledMetrics(int Positives, double RocAuc, double PrAuc, double Precision, double Recall, double F1, double RecallAtTrueCount);

/// <summary>Training failed for a reason the caller can act on.</summary>
public sealed class TrainingException(string message) : Exception(message);

/// <summary>
/// Trains the ensemble on normal records only: positives of the label column and excluded rows are left out. Normal
/// records are split into a fitting part and a held-out part that calibrates each detector (empirical CDF) and sets
/// the decision thresholds at the 99th (review) and 99.9th (block) percentile of held-out risk.
/// </summary>
public static class EnsembleTrainer
{
    public const int MinimumNormalRows = 50;

    public static (EnsembleModel Model, TrainingMetrics Metrics) Train(TypedTable table, TrainingRequest request)
    {
        var clock = Stopwatch.StartNew();
        var positives = Labels(table, request.LabelColumn);
        var excludeColumns = request.KeyColumns.Concat(request.LabelColumn is null ? [] : [request.LabelColumn]).ToList();
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = excludeColumns });
        var features = pipeline.Transform(table);

        var normal = Enumerable.Range(0, table.RowCount).Where(r => !positives[r] && !request.ExcludedRows.Contains(r)).ToList();
        if (normal.Count < MinimumNormalRows)
            throw new TrainingException($"Training needs at least {MinimumNormalRows} normal records; the batch has {normal.Count} after leaving out {table.RowCount - normal.Count} labelled or failing rows.");
        Shuffle(normal, request.Seed);
        var calibrationCount = Math.Max(20, (int)(normal.Count * request.CalibrationShare));
        var fitRows = normal.Skip(calibrationCount).ToList();
        var calibrationRows = normal.Take(calibrationCount).ToList();
        var fit = features.Select(fitRows);
        var calibration = features.Select(calibrationRows);

        var statistical = StatisticalDetector.Fit(fit);
        var forest = IsolationForest.Fit(fit, request.IsolationForest with { Seed = request.Seed });
        var autoencoder = Autoencoder.Fit(fit, request.Autoencoder with { Seed = request.Seed });
        var calibrations = new Dictionary<string, EmpiricalCdf>
        {
            [statistical.Name] = EmpiricalCdf.Fit(statistical.Score(calibration).Scores),
            [forest.Name] = EmpiricalCdf.Fit(forest.Score(calibration).Scores),
            [autoencoder.Name] = EmpiricalCdf.Fit(autoencoder.Score(calibration).Scores),
        };

        var provisional = new EnsembleModel(pipeline, statistical, forest, autoencoder, calibrations, request.Weights, new DecisionThresholds(100, 100));
        var heldOutRisk = provisional.Score(calibration).Risk.Order().ToArray();
        var thresholds = new DecisionThresholds(Percentile(heldOutRisk, 0.99), Percentile(heldOutRisk, 0.999));
        var model = new EnsembleModel(pipeline, statistical, forest, autoencoder, calibrations, request.Weights, thresholds, FeatureReference.Fit(fit));

        LabelledMetrics? labelled = null;
        if (request.LabelColumn is not null && positives.Any(p => p))
        {
            var evaluationRows = calibrationRows.Concat(Enumerable.Range(0, table.RowCount).Where(r => positives[r])).ToList();
            var risk = model.Score(features.Select(evaluationRows)).Risk.Select(r => (float)r).ToArray();
            var labels = evaluationRows.Select(r => positives[r]).ToArray();
            var atReview = ClassificationMetrics.PrecisionRecallF1(risk, labels, (float)thresholds.Review);
            labelled = new LabelledMetrics(labels.Count(l => l), ClassificationMetrics.RocAuc(risk, labels), ClassificationMetrics.PrAuc(risk, labels),
                atReview.Precision, atReview.Recall, atReview.F1, ClassificationMetrics.RecallAtK(risk, labels));
        }

        var percentiles = new Dictionary<string, double>
        {
            ["p50"] = Percentile(heldOutRisk, 0.5), ["p90"] = Percentile(heldOutRisk, 0.9),
            ["p99"] = thresholds.Review, ["p99.9"] = thresholds.Block,
        };
        var metrics = new TrainingMetrics(fitRows.Count, calibrationRows.Count, table.RowCount - normal.Count,
            Math.Round(clock.Elapsed.TotalSeconds, 2), percentiles, labelled);
        return (model, metrics);
    }

    private static bool[] Labels(TypedTable table, string? labelColumn)
    {
        var positives = new bool[table.RowCount];
        if (labelColumn is null) return positives;
        if (!table.TryGetColumn(labelColumn, out var label))
            throw new TrainingException($"The label column '{labelColumn}' is not in the batch.");
        for (var row = 0; row < table.RowCount; row++)
        {
            if (label.IsNull(row)) continue;
            positives[row] = label.Type switch
            {
                ColumnType.Boolean => label.GetBoolean(row),
                ColumnType.Integer or ColumnType.Decimal => label.GetDouble(row) != 0,
                _ => label.GetText(row) is "1" or "true" or "anomaly" or "fraud" or "yes",
            };
        }
        return positives;
    }

    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? 100 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];

    private static void Shuffle(List<int> rows, int seed)
    {
        var random = new Random(seed);
        for (var i = rows.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}
