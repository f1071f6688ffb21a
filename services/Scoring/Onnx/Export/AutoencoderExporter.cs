using Vigil.Scoring.Detectors.Neural;

namespace Vigil.Scoring.Onnx.Export;

/// <summary>
/// The trained autoencoder as an ONNX graph: features [N, F] -> Sub(mean) -> Div(scale) = s, then per layer
/// Gemm(transB = 1) (+ Relu where the layer has it) to the reconstruction r; outputs "contributions" = (r - s)^2 [N, F]
/// and "score" = their mean over the features [N]: the same numbers <see cref="Autoencoder.Score"/> gives.
/// </summary>
public static class AutoencoderExporter
{
    public static byte[] Export(Autoencoder autoencoder)
    {
        ArgumentNullException.ThrowIfNull(autoencoder);
        var width = autoencoder.FeatureNames.Count;
        var graph = new OnnxGraphBuilder("vigil_autoencoder");
        var x = graph.Input(OnnxScoringGraph.Input, width);
        var centred = graph.Node("Sub", [x, graph.Constant("mean", autoencoder.InputMean.Span, width)]);
        var standardised = graph.Node("Div", [centred, graph.Constant("scale", autoencoder.InputScale.Span, width)]);
        var activation = standardised;
        foreach (var layer in autoencoder.Layers)
        {
            var weights = graph.Constant("weights", layer.Weights.Span, layer.Outputs, layer.Inputs);
            var bias = graph.Constant("bias", layer.Bias.Span, layer.Outputs);
            activation = graph.Node("Gemm", [activation, weights, bias], attributes: [OnnxGraphBuilder.Int("transB", 1)]);
            if (layer.Relu) activation = graph.Node("Relu", [activation]);
        }
        var error = graph.Node("Sub", [activation, standardised]);
        graph.Node("Mul", [error, error], OnnxScoringGraph.Contributions);
        graph.Node("ReduceMean", [OnnxScoringGraph.Contributions], OnnxScoringGraph.Score, attributes:
            [OnnxGraphBuilder.Ints("axes", [1]), OnnxGraphBuilder.Int("keepdims", 0)]);
        graph.Output(OnnxScoringGraph.Score);
        graph.Output(OnnxScoringGraph.Contributions, width);
        return graph.ToBytes($"Vigil autoencoder over {width} features: mean squared reconstruction error per record, squared error per feature.");
    }
}
