using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors;

/// <summary>
/// A trained detector: scores records (higher = more anomalous) and, where it can, says how much each feature
/// contributed. Training happens in each detector's own static Fit method with its own options; a fitted detector
/// is immutable, thread-safe for scoring, and serialisable to JSON (its parameters) for the model registry.
/// </summary>
public interface IAnomalyDetector
{
    /// <summary>Stable name used in reports and ensemble weights: "statistical", "isolation_forest", "autoencoder".</summary>
    string Name { get; }

    /// <summary>One raw score per row (not calibrated; the ensemble calibrates), plus per-feature contributions when available.</summary>
    DetectorScores Score(FeatureMatrix features);
}

/// <summary>
/// Raw scores of one detector for a batch. <see cref="Contributions"/>, when present, is row-major rows x features and
/// explains each score (e.g. squared reconstruction error per feature, or |robust z| per feature).
/// </summary>
public sealed record DetectorScores(float[] Scores, float[]? Contributions);
