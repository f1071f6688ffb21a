using Vigil.Scoring.Detectors.Statistical;

namespace Vigil.Scoring.Onnx.Export;

/// <summary>
/// The statistical detector's per-record math as ONNX: contributions = min(|(x - median) x (1 / scale)|, MaxZ) [N, F]
/// and score = their Max, Mean or RMS per row [N] (the detector's aggregation), as <see cref="StatisticalDetector.Score"/>.
/// Entity rules are not part of that score (they run on table columns, outside the feature matrix) and stay managed.
/// </summary>
public static class StatisticalExporter
{
    public static byte[] Export(StatisticalDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var width = detector.FeatureNames.Count;
        var inverseScales = detector.Scales.Select(s => 1f / s).ToArray();
        var graph = new OnnxGraphBuilder("vigil_statistical");
        var x = graph.Input(OnnxScoringGraph.Input, width);
        var centred = graph.Node("Sub", [x, graph.Constant("median", detector.Medians.ToArray(), width)]);
        var z = graph.Node("Mul", [centred, graph.Constant("inverse_scale", inverseScales, width)]);
        var absolute = graph.Node("Abs", [z]);
        graph.Node("Min", [absolute, graph.Scalar("max_z", detector.Options.MaxZ)], OnnxScoringGraph.Contributions);
        var perRow = new[] { OnnxGraphBuilder.Ints("axes", [1]), OnnxGraphBuilder.Int("keepdims", 0) };
        switch (detector.Options.Aggregation)
        {
            case ScoreAggregation.Max:
                graph.Node("ReduceMax", [OnnxScoringGraph.Contributions], OnnxScoringGraph.Score, attributes: perRow);
                break;
            case ScoreAggregation.Mean:
                graph.Node("ReduceMean", [OnnxScoringGraph.Contributions], OnnxScoringGraph.Score, attributes: perRow);
                break;
            default:
                var norm = graph.Node("ReduceL2", [OnnxScoringGraph.Contributions], attributes: perRow);
                graph.Node("Div", [norm, graph.Scalar("sqrt_width", MathF.Sqrt(width))], OnnxScoringGraph.Score);
                break;
        }
        graph.Output(OnnxScoringGraph.Score);
        graph.Output(OnnxScoringGraph.Contributions, width);
        return graph.ToBytes($"Vigil statistical detector over {width} features: robust |z| per feature, {detector.Options.Aggregation} per record.");
    }
}
