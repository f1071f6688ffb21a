using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Chooses the ensemble weights on held-out records, never on what the model will be judged on: a non-negative
/// logistic regression over each detector's evidence that separates held-out normal records from anomalies, either
/// labelled ones or synthetic ones of four kinds (<see cref="SyntheticAnomalies"/>).
/// </summary>
/// <remarks>
/// Robust by construction rather than tuned: a detector whose evidence is (nearly) the same for every record says
/// nothing and gets weight 0 before anything is normalised (a relations detector with nothing to predict, say); a
/// coefficient below <see cref="NegligibleShare"/> of the largest counts as 0; and weights chosen on synthetic
/// anomalies keep only a quarter of the fit (<see cref="SyntheticTrust"/>), the rest being equal weights over the
/// informative detectors, because synthetic anomalies only resemble real ones: they may move weight, never hand it
/// all, or most of it, to one detector. Labels are strong evidence, and with them the opposite guard holds: when one
/// detector alone ranks the labelled anomalies at least as well as the stacked combination, it takes all the weight
/// (<see cref="BetterAlone"/>), so that the ensemble is never worse than its best part on what the labels show.
/// </remarks>
internal static class WeightChooser
{
    private const int MaximumPerturbations = 5000;
    private const int MaximumDonorRows = 20_000;

    /// <summary>
    /// Share of the synthetic fit kept in the weights; the rest is equal weights over the informative detectors, so no
    /// detector gets more than this plus its equal share. A quarter, not a half (until 2026-12-03): the logistic fit
    /// gives nearly all its weight to whichever detector the generator's breakages suit (the relations detector
    /// separates every kind of synthetic anomaly best on every public set that has it, including the one where it is
    /// the worst detector on real anomalies), so the fit is weak evidence about real anomalies. On outside data the
    /// issue measured equal weights far above a weight chooser that trusted the synthetic fit (ROC-AUC 0.90 against 0.80).
    /// </summary>
    internal const double SyntheticTrust = 0.25;

    /// <summary>A coefficient below this share of the largest is treated as 0 (numerical dust).</summary>
    internal const double NegligibleShare = 1e-3;

    /// <summary>A detector whose most common evidence value covers this share of records is degenerate.</summary>
    internal const double DegenerateShare = 0.99;

    public static EnsembleWeights Choose(EnsembleModel unweighted, FeatureMatrix heldOut, FeatureMatrix? labelledAnomalies, TrainingRequest request)
    {
        var selection = request.WeightSelection;
        if (selection == WeightSelection.Fixed)
        {
            var w = request.Weights;
            // Judged over the detectors this model has: a weight for one it lacks (co-occurrence without categorical columns) counts for nothing.
            double[] all = [w.Statistical, w.IsolationForest, w.Autoencoder, w.Relations, w.CoOccurrence, w.Histogram];
            double[] given = [.. unweighted.DetectorNames.Select(w.For)];
            if (all.Any(x => !double.IsFinite(x) || x < 0) || !(given.Sum() > 0))
                throw new TrainingException($"Fixed weights must be finite and not negative, with at least one positive among this model's detectors " +
                    $"({string.Join(", ", unweighted.DetectorNames)}); got {string.Join(", ", given)}.");
            return w with { Source = "fixed" };
        }
        if (selection == WeightSelection.Labels && labelledAnomalies is null)
            throw new TrainingException($"Weights from labels need a label column with at least {EnsembleTrainer.MinimumStackingPositives} anomalies.");

        var useLabels = labelledAnomalies is not null && selection is WeightSelection.Labels or WeightSelection.Auto;
        var normalEvidence = unweighted.EvidenceByDetector(heldOut);
        var names = normalEvidence.Keys.ToList();
        if (names.All(n => normalEvidence[n].Distinct().Count() == 1))
            throw new TrainingException("Every detector gives every held-out record the same score: the batch has nothing to learn from " +
                "(constant columns?). Train on a batch whose columns vary.");

        var anomalies = useLabels ? labelledAnomalies! : Synthetic(heldOut, unweighted.Pipeline.Sources, request.Seed + 2);
        var anomalyEvidence = unweighted.EvidenceByDetector(anomalies);
        // Judged on normal and anomalous records together: a detector nearly flat on normal records may still be the
        // one that sees an anomaly (a single far value); one flat on both says nothing.
        var informative = names.Where(n => !IsDegenerate([.. normalEvidence[n], .. anomalyEvidence[n]])).ToList();
        if (informative.Count == 0)
            throw new TrainingException("Every detector gives nearly every record the same score, anomalies included: the batch has nothing to " +
                "learn from (constant or near-constant columns?). Train on a batch whose columns vary.");
        var columns = informative.Select(n => normalEvidence[n].Concat(anomalyEvidence[n]).ToArray()).ToList();
        var labels = Enumerable.Repeat(false, heldOut.Rows).Concat(Enumerable.Repeat(true, anomalies.Rows)).ToList();
        var coefficients = NonNegativeLogisticRegression.Fit(columns, labels);
        var largest = coefficients.DefaultIfEmpty(0).Max();
        for (var i = 0; i < coefficients.Length; i++)
            if (!(coefficients[i] > NegligibleShare * largest)) coefficients[i] = 0;
        var total = coefficients.Sum();

        var equal = 1.0 / informative.Count;
        var trust = useLabels ? 1.0 : SyntheticTrust;
        var shares = informative.Select((_, i) => trust * (total > 0 ? coefficients[i] / total : equal) + (1 - trust) * equal).ToArray();
        var source = total > 0 ? (useLabels ? "labels" : "perturbations")
            : $"equal: no detector separated the {(useLabels ? "labelled" : "synthetic")} anomalies";
        if (useLabels && total > 0)
        {
            var contradictions = informative.Select(EnsembleModel.SeesContradictions).ToArray();
            if (BetterAlone(columns, shares, contradictions, labels) is { } alone)
            {
                shares = [.. informative.Select((_, i) => i == alone.Index ? 1.0 : 0.0)];
                source = $"labels: {informative[alone.Index]} alone ranks the labelled anomalies at least as well as the fitted combination " +
                    $"(PR-AUC {alone.PrAuc:0.####} against {alone.CombinedPrAuc:0.####})";
            }
        }
        double Weight(string name)
        {
            var i = informative.IndexOf(name);
            return i < 0 ? 0 : Math.Round(shares[i], 6);
        }
        var dropped = names.Except(informative).ToList();
        if (dropped.Count > 0) source += $"; {string.Join(", ", dropped)} dropped (same score for every record)";
        return new EnsembleWeights(Weight(Detectors.Statistical.StatisticalDetector.DetectorName), Weight(Detectors.Forest.IsolationForest.DetectorName),
            Weight(Detectors.Neural.Autoencoder.DetectorName))
        {
            Relations = Weight(Detectors.Statistical.RelationDetector.DetectorName),
            CoOccurrence = Weight(Detectors.Categorical.CoOccurrenceDetector.DetectorName),
            Histogram = Weight(Detectors.Statistical.HistogramDetector.DetectorName),
            Source = source,
        };
    }

    /// <summary>
    /// Stacking's safeguard: the single detector that ranks the labelled anomalies at least as well as the fitted
    /// combination by both PR-AUC and ROC-AUC (the combination adding only noise to it), or null when the combination
    /// ranks better. Judged on the records the weights were fitted on, which favours the combination, so a detector is
    /// only preferred when it is plainly as good. The ensemble is then that detector: it can never rank worse than its
    /// best part on what the labels show.
    /// </summary>
    internal static (int Index, double PrAuc, double CombinedPrAuc)? BetterAlone(IReadOnlyList<double[]> evidence, double[] shares, bool[] contradictions,
        IReadOnlyList<bool> labels)
    {
        if (shares.Any(s => s >= 1)) return null; // the fit already gave one detector everything
        var truth = labels.ToArray();
        var combined = Combine(evidence, shares, contradictions);
        var (combinedPr, combinedRoc) = (ClassificationMetrics.PrAuc(combined, truth), ClassificationMetrics.RocAuc(combined, truth));
        (int Index, double PrAuc, double CombinedPrAuc)? best = null;
        for (var i = 0; i < evidence.Count; i++)
        {
            var alone = evidence[i].Select(e => (float)e).ToArray();
            var pr = ClassificationMetrics.PrAuc(alone, truth);
            if (pr >= combinedPr && ClassificationMetrics.RocAuc(alone, truth) >= combinedRoc && (best is null || pr > best.Value.PrAuc))
                best = (i, pr, combinedPr);
        }
        return best;
    }

    /// <summary>Each record's ensemble evidence under <paramref name="shares"/>, as <see cref="EnsembleModel"/> combines it.</summary>
    private static float[] Combine(IReadOnlyList<double[]> evidence, double[] shares, bool[] contradictions)
    {
        var rows = evidence[0].Length;
        var combined = new float[rows];
        for (var row = 0; row < rows; row++)
        {
            double sum = 0, strongest = 0;
            for (var i = 0; i < evidence.Count; i++)
            {
                sum += shares[i] * evidence[i][row];
                if (contradictions[i] && shares[i] > 0) strongest = Math.Max(strongest, evidence[i][row] + Math.Log(shares[i]));
            }
            combined[row] = (float)Math.Max(sum, strongest);
        }
        return combined;
    }

    private static FeatureMatrix Synthetic(FeatureMatrix heldOut, IReadOnlyList<FeatureSource> sources, int seed)
    {
        // The held-out records are already shuffled: their first rows are a random sample to draw donors from.
        var donors = heldOut.Rows <= MaximumDonorRows ? heldOut : heldOut.Select([.. Enumerable.Range(0, MaximumDonorRows)]);
        return SyntheticAnomalies.Create(donors, sources, Math.Min(MaximumPerturbations, Math.Max(heldOut.Rows, 200)), seed);
    }

    /// <summary>Whether one evidence value covers nearly every record (a detector that cannot tell records apart).</summary>
    internal static bool IsDegenerate(double[] evidence)
    {
        if (evidence.Length == 0) return true;
        var mode = evidence.GroupBy(e => Math.Round(e, 9)).Max(g => g.Count());
        return mode >= DegenerateShare * evidence.Length;
    }
}
