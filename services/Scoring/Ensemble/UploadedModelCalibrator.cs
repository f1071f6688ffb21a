using System.Diagnostics;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Makes a model version of an autoencoder trained elsewhere: the user's feature pipeline and ONNX graph, with a
/// statistical detector fitted here and both calibrated on the normal records of a validated run of the dataset, so
/// that the uploaded model speaks the ensemble's language (evidence, risk 0-100, thresholds) like a trained one.
/// </summary>
public static class UploadedModelCalibrator
{
    /// <param name="uploaded">The uploaded autoencoder, running on ONNX Runtime; named <see cref="Autoencoder.DetectorName"/>.</param>
    /// <exception cref="FeaturePipelineException">The run does not have the columns the pipeline reads.</exception>
    /// <exception cref="TrainingException">Too few normal records to calibrate on.</exception>
    public static (EnsembleModel Model, TrainingMetrics Metrics) Calibrate(FeaturePipeline pipeline, TypedTable table, IReadOnlySet<int> excludedRows,
        IAnomalyDetector uploaded, ThresholdPolicy thresholds, int seed = 42)
    {
        if (uploaded.Name != Autoencoder.DetectorName) throw new ArgumentException($"An uploaded model takes the autoencoder's place, not '{uploaded.Name}'.", nameof(uploaded));
        thresholds.Validate();
        var clock = Stopwatch.StartNew();
        var features = pipeline.Transform(table);
        var normal = Enumerable.Range(0, features.Rows).Where(r => !excludedRows.Contains(r)).ToList();
        if (normal.Count < EnsembleTrainer.MinimumNormalRows)
            throw new TrainingException($"Calibrating an uploaded model needs at least {EnsembleTrainer.MinimumNormalRows} normal records; the run has {normal.Count}.");
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(normal));
        // Half fits the statistical detector, half calibrates both detectors and sets the thresholds.
        var fitRows = normal.Take(normal.Count / 2).ToList();
        var calibrationRows = normal.Skip(fitRows.Count).ToList();
        var fit = features.Select(fitRows);
        var calibration = features.Select(calibrationRows);

        var statistical = StatisticalDetector.Fit(fit);
        var calibrations = new Dictionary<string, EmpiricalCdf>
        {
            [statistical.Name] = EmpiricalCdf.Fit(statistical.Score(calibration).Scores),
            [uploaded.Name] = EmpiricalCdf.Fit(uploaded.Score(calibration).Scores),
        };
        var runtime = new Dictionary<string, IAnomalyDetector> { [uploaded.Name] = uploaded };
        var weights = new EnsembleWeights { Source = "uploaded" };
        var unweighted = new EnsembleModel(pipeline, statistical, forest: null, autoencoder: null, calibrations, weights, new DecisionThresholds(100, 100),
            uploadedAutoencoder: true);
        var heldOutRisk = unweighted.Score(calibration, runtime).Risk;
        var decided = thresholds.Apply(heldOutRisk, []);
        var model = unweighted.With(weights, decided, FeatureReference.Fit(fit));

        var percentiles = ThresholdPolicy.RiskPercentiles(heldOutRisk);
        var metrics = new TrainingMetrics(fitRows.Count, calibrationRows.Count, features.Rows - normal.Count, Math.Round(clock.Elapsed.TotalSeconds, 2),
            percentiles, Labelled: null)
        { Weights = weights, Thresholds = decided };
        return (model, metrics);
    }
}
