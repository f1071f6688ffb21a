using Vigil.Scoring.Detectors;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Onnx.Scoring;

/// <summary>
/// A detector run by ONNX Runtime from its exported graph (input "features" [N, F]; output "score" [N] and optionally
/// "contributions" [N, F]). Same <see cref="Name"/> as the managed detector it replaces, so the ensemble's calibration,
/// weights and thresholds apply unchanged. Large batches run in chunks written straight into the result arrays.
/// </summary>
public sealed class OnnxDetector : IScoresOnlyDetector, IDisposable
{
    public const int DefaultChunkRows = 65_536;

    private readonly OnnxSession _session;
    private readonly IReadOnlyList<string> _featureNames;
    private readonly int _chunkRows;
    private readonly bool _explains;

    public OnnxDetector(string name, OnnxSession session, IReadOnlyList<string> featureNames, int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        var outputs = session.Outputs.Select(o => o.Name).ToList();
        if (session.Inputs[0].Name != OnnxScoringGraph.Input || outputs.Count is < 1 or > 2 || outputs[0] != OnnxScoringGraph.Score
            || (outputs.Count == 2 && outputs[1] != OnnxScoringGraph.Contributions))
            throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph,
                $"The '{name}' graph is not an exported detector (input '{OnnxScoringGraph.Input}', outputs '{OnnxScoringGraph.Score}' [, '{OnnxScoringGraph.Contributions}']): it has {string.Join("; ", session.Inputs.Concat(session.Outputs))}.");
        FeatureCheck.RequireWidth(session.Inputs[0], featureNames.Count, name);
        Name = name;
        _session = session;
        _featureNames = featureNames;
        _chunkRows = chunkRows;
        _explains = outputs.Count == 2;
    }

    public string Name { get; }

    public DetectorScores Score(FeatureMatrix features) => Run(features, _explains);

    /// <summary>Asks the graph for its "score" output alone, so ONNX Runtime neither computes nor copies the contributions.</summary>
    public float[] ScoresOnly(FeatureMatrix features) => Run(features, explain: false).Scores;

    private DetectorScores Run(FeatureMatrix features, bool explain)
    {
        FeatureCheck.RequireNames(features, _featureNames, Name);
        var width = features.Columns;
        var scores = new float[features.Rows];
        var contributions = explain ? new float[features.Values.Length] : null;
        for (var first = 0; first < features.Rows; first += _chunkRows)
        {
            var count = Math.Min(_chunkRows, features.Rows - first);
            var input = features.Values.AsMemory(first * width, count * width);
            OnnxOutputBuffer[] outputs = contributions is null
                ? [new(scores.AsMemory(first, count), [count])]
                : [new(scores.AsMemory(first, count), [count]), new(contributions.AsMemory(first * width, count * width), [count, width])];
            _session.Run(input, [count, width], outputs);
        }
        return new DetectorScores(scores, contributions);
    }

    public void Dispose() => _session.Dispose();
}
