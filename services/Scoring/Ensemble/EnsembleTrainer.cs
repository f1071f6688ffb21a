using System.Diagnostics;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>One batch to train on, with its rows to leave out (zero-based; those that failed validation rules).</summary>
public sealed record TrainingBatch(TypedTable Table, IReadOnlySet<int> ExcludedRows);

/// <summary>How the ensemble's weights are chosen.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<WeightSelection>))]
public enum WeightSelection
{
    /// <summary>Labels when the label column gives enough anomalies, otherwise perturbations.</summary>
    Auto,

    /// <summary>A non-negative logistic regression separating held-out normal records from synthetic column swaps.</summary>
    Perturbations,

    /// <summary>A non-negative logistic regression separating held-out normal records from half of the labelled anomalies.</summary>
    Labels,

    /// <summary>The request's <see cref="TrainingRequest.Weights"/> as given.</summary>
    Fixed,
}

/// <summary>What to train on: the batch's key and label columns and rows to leave out (those that failed validation rules).</summary>
public sealed record TrainingRequest
{
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    public string? LabelColumn { get; init; }
    public IReadOnlySet<int> ExcludedRows { get; init; } = new HashSet<int>();
    public int Seed { get; init; } = 42;
    public double CalibrationShare { get; init; } = 0.2;

    /// <summary>
    /// Without a label column: the share of fitting records that score highest on a first fit and are left out of the
    /// final one, so that anomalies in the training batch do not teach the detectors (0 turns trimming off). The
    /// default, 1%, is the share the default review threshold (p99) flags anyway: trimming more would also cut the
    /// ordinary tail the detectors must learn, and on a clean batch it raised false alarms on fresh records.
    /// </summary>
    public double TrimShare { get; init; } = 0.01;
    public WeightSelection WeightSelection { get; init; } = WeightSelection.Auto;

    /// <summary>Used as given with <see cref="WeightSelection.Fixed"/>, and when no detector separates the synthetic anomalies.</summary>
    public EnsembleWeights Weights { get; init; } = new();
    public ThresholdPolicy Thresholds { get; init; } = new();
    public AutoencoderOptions Autoencoder { get; init; } = new() { MaxEpochs = 30, WidenWithFeatures = true };
    public IsolationForestOptions IsolationForest { get; init; } = new();
}

/// <summary>How a training went: sizes, time, the weights and thresholds chosen, the held-out risk distribution and, with labels, detection metrics.</summary>
public sealed record TrainingMetrics(
    int TrainingRows, int CalibrationRows, int ExcludedRows, double TrainingSeconds, IReadOnlyDictionary<string, double> RiskPercentiles,
    LabelledMetrics? Labelled)
{
    public EnsembleWeights? Weights { get; init; }
    public DecisionThresholds? Thresholds { get; init; }

    /// <summary>Fitting records left out as the highest-scoring share of a first fit (no label column), see <see cref="TrainingRequest.TrimShare"/>.</summary>
    public int TrimmedRows { get; init; }

    /// <summary>The categorical column whose values each got their own relations, or null (one global fit).</summary>
    public string? RelationsConditionedOn { get; init; }
}

/// <summary>Detection on the held-out labelled split: normal held-out records and the labelled anomalies not used to choose weights.</summary>
public sealed record LabelledMetrics(int Positives, double RocAuc, double PrAuc, double Precision, double Recall, double F1, double RecallAtTrueCount);

/// <summary>Training failed for a reason the caller can act on.</summary>
public sealed class TrainingException(string message) : Exception(message);

/// <summary>
/// Trains the ensemble on normal records only: positives of the label column and excluded rows are left out, and
/// without a label column the highest-scoring records of a first fit (see <see cref="TrainingRequest.TrimShare"/>). Normal
/// records are split into a fitting part and a held-out part that calibrates each detector, chooses the weights
/// (see <see cref="WeightSelection"/>) and sets the decision thresholds (see <see cref="ThresholdPolicy"/>). Labelled
/// anomalies are split in two: half choose the weights, the other half (with the held-out normal records) set F1
/// thresholds and measure the model.
/// </summary>
public static class EnsembleTrainer
{
    public const int MinimumNormalRows = 50;

    /// <summary>Fewest labelled anomalies for stacking on labels (half of them choose the weights).</summary>
    public const int MinimumStackingPositives = 20;

    /// <summary>
    /// Fewest held-out normal records (up to half of them) whatever the calibration share: enough for each detector's
    /// calibration to have a tail (<see cref="EmpiricalCdf"/>), without which evidence stops at ln(n + 1) and a record
    /// far beyond every held-out one looks like one just beyond them.
    /// </summary>
    public const int SmallestCalibration = 60;

    /// <summary>Trains on one batch; <see cref="TrainingRequest.ExcludedRows"/> are its rows to leave out.</summary>
    public static (EnsembleModel Model, TrainingMetrics Metrics) Train(TypedTable table, TrainingRequest request) =>
        Train([new TrainingBatch(table, request.ExcludedRows)], request);

    /// <summary>
    /// Trains on the normal records of several batches of one dataset (e.g. its last runs). The feature pipeline is
    /// fitted on the largest batch and transforms every batch; a batch it cannot transform fails the training.
    /// </summary>
    public static (EnsembleModel Model, TrainingMetrics Metrics) Train(IReadOnlyList<TrainingBatch> batches, TrainingRequest request)
    {
        var clock = Stopwatch.StartNew();
        if (batches.Count == 0) throw new TrainingException("Training needs at least one batch.");
        request.Thresholds.Validate();
        var excludeColumns = request.KeyColumns.Concat(request.LabelColumn is null ? [] : [request.LabelColumn]).ToList();
        var pipeline = FeaturePipeline.Fit(batches.MaxBy(b => b.Table.RowCount)!.Table, new FeaturePipelineOptions { ExcludeColumns = excludeColumns });
        var features = Concatenate([.. batches.Select((b, i) => TransformBatch(pipeline, b.Table, i, batches.Count))]);
        var positives = batches.SelectMany(b => Labels(b.Table, request.LabelColumn)).ToArray();
        var excluded = new HashSet<int>();
        var offset = 0;
        foreach (var batch in batches)
        {
            foreach (var row in batch.ExcludedRows)
                if (row >= 0 && row < batch.Table.RowCount) excluded.Add(offset + row);
            offset += batch.Table.RowCount;
        }
        var rowCount = features.Rows;

        var normal = Enumerable.Range(0, rowCount).Where(r => !positives[r] && !excluded.Contains(r)).ToList();
        if (normal.Count < MinimumNormalRows)
            throw new TrainingException($"Training needs at least {MinimumNormalRows} normal records; the training set has {normal.Count} after leaving out {rowCount - normal.Count} labelled or failing rows.");
        Shuffle(normal, request.Seed);
        var calibrationCount = Math.Max(Math.Min(SmallestCalibration, normal.Count / 2), (int)(normal.Count * request.CalibrationShare));
        var fitRows = normal.Skip(calibrationCount).ToList();
        var calibrationRows = normal.Take(calibrationCount).ToList();
        var calibration = features.Select(calibrationRows);
        var trimmed = 0;
        if (request.LabelColumn is null && request.TrimShare != 0) (fitRows, trimmed) = Trim(features, fitRows, calibration, pipeline.Sources, request);
        var fit = features.Select(fitRows);

        // The autoencoder, the slow one, is fitted beside the others: its steps leave part of the cores idle, which they use.
        var autoencoderFit = Task.Run(() => Autoencoder.Fit(fit, request.Autoencoder with { Seed = request.Seed }));
        var statistical = StatisticalDetector.Fit(fit);
        var forest = IsolationForest.Fit(fit, request.IsolationForest with { Seed = request.Seed });
        var relations = RelationDetector.Fit(fit, pipeline.Sources);
        var coOccurrence = CoOccurrenceDetector.Fit(fit, pipeline.Sources);
        var histogram = HistogramDetector.Fit(fit);
        var autoencoder = autoencoderFit.GetAwaiter().GetResult();
        var calibrations = new Dictionary<string, EmpiricalCdf>
        {
            [statistical.Name] = EmpiricalCdf.Fit(statistical.Score(calibration).Scores),
            [forest.Name] = EmpiricalCdf.Fit(forest.Score(calibration).Scores),
            [autoencoder.Name] = EmpiricalCdf.Fit(autoencoder.Score(calibration).Scores),
            [relations.Name] = EmpiricalCdf.Fit(relations.ScoresOnly(calibration)),
        };
        calibrations[histogram.Name] = EmpiricalCdf.Fit(histogram.ScoresOnly(calibration));
        if (coOccurrence is not null) calibrations[coOccurrence.Name] = EmpiricalCdf.Fit(coOccurrence.ScoresOnly(calibration), discrete: true);
        var unweighted = new EnsembleModel(pipeline, statistical, forest, autoencoder, calibrations, request.Weights, new DecisionThresholds(100, 100),
            relations: relations, coOccurrence: coOccurrence, histogram: histogram);

        var labelled = Enumerable.Range(0, rowCount).Where(r => positives[r]).ToList();
        Shuffle(labelled, request.Seed + 1);
        var stacking = labelled.Count >= MinimumStackingPositives ? labelled.Take(labelled.Count / 2).ToList() : [];
        var validationPositives = labelled.Skip(stacking.Count).ToList();
        var weights = WeightChooser.Choose(unweighted, calibration, stacking.Count > 0 ? features.Select(stacking) : null, request);

        var weighted = unweighted.With(weights, new DecisionThresholds(100, 100), reference: null);
        var heldOutRisk = weighted.Score(calibration).Risk;
        var positiveRisk = validationPositives.Count > 0 ? weighted.Score(features.Select(validationPositives)).Risk : [];
        var thresholds = request.Thresholds.Apply(heldOutRisk, positiveRisk);
        var model = unweighted.With(weights, thresholds, FeatureReference.Fit(fit));

        LabelledMetrics? labelledMetrics = null;
        if (validationPositives.Count > 0)
        {
            var risk = heldOutRisk.Concat(positiveRisk).Select(r => (float)r).ToArray();
            var labels = heldOutRisk.Select(_ => false).Concat(positiveRisk.Select(_ => true)).ToArray();
            var atReview = ClassificationMetrics.PrecisionRecallF1(risk, labels, (float)thresholds.Review);
            labelledMetrics = new LabelledMetrics(validationPositives.Count, ClassificationMetrics.RocAuc(risk, labels), ClassificationMetrics.PrAuc(risk, labels),
                atReview.Precision, atReview.Recall, atReview.F1, ClassificationMetrics.RecallAtK(risk, labels));
        }

        var percentiles = ThresholdPolicy.RiskPercentiles(heldOutRisk);
        var metrics = new TrainingMetrics(fitRows.Count, calibrationRows.Count, rowCount - normal.Count,
            Math.Round(clock.Elapsed.TotalSeconds, 2), percentiles, labelledMetrics)
        { Weights = weights, Thresholds = thresholds, TrimmedRows = trimmed, RelationsConditionedOn = relations.ConditionedOn };
        return (model, metrics);
    }
    /// <summary>
    /// Normal-only training without labels: the quick detectors (statistical, isolation forest, relations, co-occurrence) are fitted on
    /// the fitting records and calibrated on the held-out ones; the fitting records whose summed evidence is in the top
    /// <see cref="TrainingRequest.TrimShare"/> are left out, and every detector is then fitted on the rest. The
    /// autoencoder, the slow one, is fitted once, on the trimmed records.
    /// </summary>
    private static (List<int> Kept, int Trimmed) Trim(FeatureMatrix features, List<int> fitRows, FeatureMatrix calibration,
        IReadOnlyList<FeatureSource> sources, TrainingRequest request)
    {
        if (!(request.TrimShare is >= 0 and < 0.5)) throw new TrainingException($"trimShare must lie in [0, 0.5); got {request.TrimShare}.");
        var drop = (int)Math.Ceiling(fitRows.Count * request.TrimShare - 1e-9); // at least one record of a small batch
        if (drop == 0) return (fitRows, 0);
        var fit = features.Select(fitRows);
        Func<IAnomalyDetector?>[] quick =
        [
            () => StatisticalDetector.Fit(fit),
            () => IsolationForest.Fit(fit, request.IsolationForest with { Seed = request.Seed }),
            () => RelationDetector.Fit(fit, sources),
            () => CoOccurrenceDetector.Fit(fit, sources),
        ];
        // Each detector fitted, calibrated and scored on its own (in parallel), then summed in this order, as one after another would.
        var evidenceOf = new double[quick.Length][];
        Parallel.For(0, quick.Length, d =>
        {
            if (quick[d]() is not { } detector) return;
            var calibrated = EmpiricalCdf.Fit(ScoresOf(detector, calibration), discrete: detector is CoOccurrenceDetector);
            var scores = ScoresOf(detector, fit);
            evidenceOf[d] = new double[scores.Length];
            for (var row = 0; row < scores.Length; row++) evidenceOf[d][row] = calibrated.Evidence(scores[row]);
        });
        var evidence = new double[fit.Rows];
        foreach (var detectorEvidence in evidenceOf.OfType<double[]>())
            for (var row = 0; row < evidence.Length; row++) evidence[row] -= detectorEvidence[row];
        // Ascending by minus the evidence: the highest-scoring records come first.
        var order = Enumerable.Range(0, fit.Rows).ToArray();
        Array.Sort(evidence, order);
        var dropped = order.Take(drop).ToHashSet();
        return ([.. fitRows.Where((_, i) => !dropped.Contains(i))], drop);
    }

    private static float[] ScoresOf(IAnomalyDetector detector, FeatureMatrix features) =>
        detector is IScoresOnlyDetector lean ? lean.ScoresOnly(features) : detector.Score(features).Scores;

    private static FeatureMatrix TransformBatch(FeaturePipeline pipeline, TypedTable table, int index, int count)
    {
        try
        {
            return pipeline.Transform(table);
        }
        catch (FeaturePipelineException e) when (count > 1)
        {
            throw new TrainingException($"Batch {index + 1} of {count} does not fit the others: {e.Message}");
        }
    }

    private static FeatureMatrix Concatenate(IReadOnlyList<FeatureMatrix> matrices)
    {
        if (matrices.Count == 1) return matrices[0];
        var values = new float[matrices.Sum(m => m.Values.Length)];
        var at = 0;
        foreach (var matrix in matrices)
        {
            matrix.Values.CopyTo(values, at);
            at += matrix.Values.Length;
        }
        return new FeatureMatrix(values, matrices.Sum(m => m.Rows), matrices[0].FeatureNames);
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
