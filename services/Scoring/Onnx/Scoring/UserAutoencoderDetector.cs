using System.Numerics.Tensors;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Onnx.Scoring;

/// <summary>
/// An autoencoder trained elsewhere and uploaded as ONNX (one float input [N, F]: the pipeline's feature vector; one
/// float output [N, F]: its reconstruction). Scores as the trained autoencoder does: contributions are the squared
/// reconstruction errors per feature and the score their mean, computed here from the reconstruction; its
/// <see cref="Name"/> is "autoencoder" so it takes the trained one's place in an ensemble.
/// </summary>
public sealed class UserAutoencoderDetector : IAnomalyDetector, IDisposable
{
    private readonly OnnxSession _session;
    private readonly IReadOnlyList<string> _featureNames;
    private readonly int _chunkRows;

    public UserAutoencoderDetector(OnnxSession session, IReadOnlyList<string> featureNames, int chunkRows = OnnxDetector.DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        OnnxModelInspector.RequireAutoencoderSignature(session.Inputs, session.Outputs, featureNames.Count);
        _session = session;
        _featureNames = featureNames;
        _chunkRows = chunkRows;
    }

    public string Name => Autoencoder.DetectorName;

    public DetectorScores Score(FeatureMatrix features)
    {
        FeatureCheck.RequireNames(features, _featureNames, "uploaded autoencoder");
        var width = features.Columns;
        var scores = new float[features.Rows];
        var contributions = new float[features.Values.Length];
        for (var first = 0; first < features.Rows; first += _chunkRows)
        {
            var count = Math.Min(_chunkRows, features.Rows - first);
            var input = features.Values.AsMemory(first * width, count * width);
            var error = contributions.AsMemory(first * width, count * width);
            _session.Run(input, [count, width], [new OnnxOutputBuffer(error, [count, width])]);
            // The reconstruction was written where its squared error belongs; turn it into that error in place.
            var squared = error.Span;
            TensorPrimitives.Subtract(squared, input.Span, squared);
            TensorPrimitives.Multiply(squared, squared, squared);
            for (var r = 0; r < count; r++) scores[first + r] = TensorPrimitives.Sum(squared.Slice(r * width, width)) / width;
        }
        return new DetectorScores(scores, contributions);
    }

    public void Dispose() => _session.Dispose();
}
