using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors;

/// <summary>
/// A detector that can leave out its per-feature contributions when only its scores are wanted (the ensemble explains
/// records with one detector only): a rows x features array less to compute and to allocate.
/// </summary>
public interface IScoresOnlyDetector : IAnomalyDetector
{
    float[] ScoresOnly(FeatureMatrix features);
}
