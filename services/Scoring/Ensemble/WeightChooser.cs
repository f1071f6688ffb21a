using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Chooses the ensemble weights on held-out records, never on what the model will be judged on: a non-negative
/// logistic regression over each detector's evidence that separates held-out normal records from anomalies, either
/// labelled ones or synthetic column swaps of held-out records (<see cref="ColumnSwapPerturbation"/>).
/// </summary>
internal static class WeightChooser
{
    private const int MaximumPerturbations = 5000;

    public static EnsembleWeights Choose(EnsembleModel unweighted, FeatureMatrix heldOut, FeatureMatrix? labelledAnomalies, TrainingRequest request)
    {
        var selection = request.WeightSelection;
        if (selection == WeightSelection.Fixed)
        {
            var w = request.Weights;
            double[] given = [w.Statistical, w.IsolationForest, w.Autoencoder, w.Relations];
            if (given.Any(x => !double.IsFinite(x) || x < 0) || !(given.Sum() > 0))
                throw new TrainingException($"Fixed weights must be finite and not negative, with at least one positive; got {string.Join(", ", given)}.");
            return w with { Source = "fixed" };
        }
        if (selection == WeightSelection.Labels && labelledAnomalies is null)
            throw new TrainingException($"Weights from labels need a label column with at least {EnsembleTrainer.MinimumStackingPositives} anomalies.");

        var useLabels = labelledAnomalies is not null && selection is WeightSelection.Labels or WeightSelection.Auto;
        var anomalies = useLabels
            ? labelledAnomalies!
            : ColumnSwapPerturbation.Create(heldOut, unweighted.Pipeline.Sources, Math.Min(MaximumPerturbations, heldOut.Rows), request.Seed + 2);
        var normalEvidence = unweighted.EvidenceByDetector(heldOut);
        var anomalyEvidence = unweighted.EvidenceByDetector(anomalies);
        var names = normalEvidence.Keys.ToList();
        var columns = names.Select(n => normalEvidence[n].Concat(anomalyEvidence[n]).ToArray()).ToList();
        var labels = Enumerable.Repeat(false, heldOut.Rows).Concat(Enumerable.Repeat(true, anomalies.Rows)).ToList();
        var coefficients = NonNegativeLogisticRegression.Fit(columns, labels);
        var total = coefficients.Sum();
        if (!(total > 0)) return request.Weights with { Source = "default: no detector separated the held-out anomalies" };

        double Weight(string name) => names.IndexOf(name) is var i and >= 0 ? Math.Round(coefficients[i] / total, 6) : 0;
        return new EnsembleWeights(Weight(Detectors.Statistical.StatisticalDetector.DetectorName), Weight(Detectors.Forest.IsolationForest.DetectorName),
            Weight(Detectors.Neural.Autoencoder.DetectorName))
        {
            Relations = Weight(Detectors.Statistical.RelationDetector.DetectorName),
            Source = useLabels ? "labels" : "perturbations",
        };
    }
}
