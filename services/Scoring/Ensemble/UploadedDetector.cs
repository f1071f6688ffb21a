using Vigil.Scoring.Detectors;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// The place of a detector that exists only as an uploaded ONNX graph: it scores only when ONNX Runtime stands in for
/// it (see <see cref="EnsembleModel.Score(FeatureMatrix, IReadOnlyDictionary{string, IAnomalyDetector}?)"/>).
/// </summary>
public sealed class UploadedDetector(string name) : IAnomalyDetector
{
    public string Name => name;

    public DetectorScores Score(FeatureMatrix features) =>
        throw new UploadedModelUnavailableException($"The {name} of this model version is an uploaded ONNX graph and ONNX Runtime is not available to run it.");
}

/// <summary>A model with an uploaded ONNX detector was asked to score where ONNX Runtime cannot run it.</summary>
public sealed class UploadedModelUnavailableException(string message) : Exception(message);
