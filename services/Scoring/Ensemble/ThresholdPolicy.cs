using System.Text.Json.Serialization;
using Vigil.Scoring.Evaluation;

namespace Vigil.Scoring.Ensemble;

/// <summary>How the review and block thresholds are set from the risk of held-out records.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ThresholdMethod>))]
public enum ThresholdMethod
{
    /// <summary>Percentiles of held-out normal risk (default review p99, block p99.9).</summary>
    Percentile,

    /// <summary>Mean + k x standard deviation of held-out normal risk (default k 3 for review, 5 for block).</summary>
    MeanStd,

    /// <summary>On held-out labelled records: review where F1 is best, block where F0.5 (precision first) is best.</summary>
    F1,
}

/// <summary>The threshold method a training asks for, with its parameters.</summary>
public sealed record ThresholdPolicy
{
    public ThresholdMethod Method { get; init; } = ThresholdMethod.Percentile;
    public double ReviewPercentile { get; init; } = 99;
    public double BlockPercentile { get; init; } = 99.9;
    public double ReviewK { get; init; } = 3;
    public double BlockK { get; init; } = 5;

    /// <exception cref="TrainingException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (!(ReviewPercentile is > 0 and < 100) || !(BlockPercentile is > 0 and < 100) || BlockPercentile < ReviewPercentile)
            throw new TrainingException($"Threshold percentiles must lie in (0, 100) with block ≥ review; got review {ReviewPercentile}, block {BlockPercentile}.");
        if (!double.IsFinite(ReviewK) || !double.IsFinite(BlockK) || ReviewK < 0 || BlockK < ReviewK)
            throw new TrainingException($"Threshold k must be finite and not negative with block ≥ review; got review {ReviewK}, block {BlockK}.");
    }

    /// <summary>
    /// Thresholds from the risk of held-out normal records and, for <see cref="ThresholdMethod.F1"/>, of held-out
    /// labelled anomalies (<paramref name="positiveRisk"/>).
    /// </summary>
    /// <exception cref="TrainingException">F1 thresholds are asked for without labelled anomalies.</exception>
    public DecisionThresholds Apply(IReadOnlyList<double> normalRisk, IReadOnlyList<double> positiveRisk)
    {
        Validate();
        switch (Method)
        {
            case ThresholdMethod.Percentile:
                var sorted = normalRisk.Order().ToArray();
                var atReview = PercentileOrRarity(sorted, ReviewPercentile / 100);
                var unresolved = sorted.Length * (1 - BlockPercentile / 100) < 1 - 1e-9;
                return new DecisionThresholds(atReview, Math.Max(atReview, PercentileOrRarity(sorted, BlockPercentile / 100)), Method,
                    $"p{ReviewPercentile} / p{BlockPercentile} of {sorted.Length} held-out normal records' risk" +
                    (unresolved ? $"; where {sorted.Length} records cannot tell a percentile, the risk of a record that rare" : ""));
            case ThresholdMethod.MeanStd:
                var mean = normalRisk.Average();
                var std = Math.Sqrt(normalRisk.Sum(r => (r - mean) * (r - mean)) / normalRisk.Count);
                return new DecisionThresholds(Math.Min(100, Math.Round(mean + ReviewK * std, 4)), Math.Min(100, Math.Round(mean + BlockK * std, 4)), Method,
                    $"mean {mean:0.####} + {ReviewK} / {BlockK} x std {std:0.####} of {normalRisk.Count} held-out normal records' risk");
            case ThresholdMethod.F1:
                if (positiveRisk.Count == 0)
                    throw new TrainingException("F1 thresholds need a label column with anomalies held out from training; none were found.");
                var scores = normalRisk.Concat(positiveRisk).Select(r => (float)r).ToArray();
                var labels = normalRisk.Select(_ => false).Concat(positiveRisk.Select(_ => true)).ToArray();
                var review = ClassificationMetrics.BestFBetaThreshold(scores, labels, beta: 1);
                var block = ClassificationMetrics.BestFBetaThreshold(scores, labels, beta: 0.5);
                return new DecisionThresholds(review.Threshold, Math.Max(review.Threshold, block.Threshold), Method,
                    $"best F1 {review.F1:0.###} (review) and F0.5 (block) on {normalRisk.Count} held-out normal and {positiveRisk.Count} labelled records");
            default:
                throw new TrainingException($"Unknown threshold method {Method}.");
        }
    }

    /// <summary>
    /// The percentile, or where too few records hold it (fewer than 1 / (1 - share): p99.9 of 60 records would be their
    /// maximum) the risk of evidence -ln(1 - share), that of a record as rare as the percentile says: each detector's
    /// evidence is -ln of the share of normal records beyond it, so a normal record reaches it about that rarely. The
    /// maximum of a few dozen records is no estimate of a percentile: one anomaly among them (a first batch is not
    /// reviewed yet) would set it, and without one an ordinary record of the next batch just beyond them is flagged.
    /// </summary>
    internal static double PercentileOrRarity(double[] sorted, double share) =>
        sorted.Length * (1 - share) >= 1 - 1e-9 ? Percentile(sorted, share) : EnsembleModel.RiskOf(-Math.Log(1 - share));

    /// <summary>The held-out risk distribution a model version reports (p50, p90, p99, p99.9).</summary>
    internal static Dictionary<string, double> RiskPercentiles(IEnumerable<double> risk)
    {
        var sorted = risk.Order().ToArray();
        return new Dictionary<string, double>
        {
            ["p50"] = Percentile(sorted, 0.5), ["p90"] = Percentile(sorted, 0.9), ["p99"] = Percentile(sorted, 0.99), ["p99.9"] = Percentile(sorted, 0.999),
        };
    }

    /// <summary>The nearest-rank percentile; the small slack keeps 99.9 / 100 x 1000 (0.999...01 x 1000) at rank 999.</summary>
    internal static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? 100 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length - 1e-9) - 1, 0, sorted.Length - 1)];
}
