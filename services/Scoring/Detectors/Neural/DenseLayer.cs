namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// One fully connected layer, y = W x + b (then ReLU where <see cref="Relu"/>), in the shape of an ONNX Gemm with
/// transB = 1: <see cref="Weights"/> is row-major [Outputs, Inputs], <see cref="Bias"/> has Outputs values.
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int inputs, int outputs, bool relu, ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias)
    {
        if (inputs < 1 || outputs < 1)
            throw new ArgumentException($"A layer needs at least 1 input and 1 output; got {inputs} -> {outputs}.");
        if (weights.Length != inputs * outputs)
            throw new ArgumentException($"A {inputs} -> {outputs} layer needs {inputs * outputs} weights; got {weights.Length}.");
        if (bias.Length != outputs)
            throw new ArgumentException($"A {inputs} -> {outputs} layer needs {outputs} biases; got {bias.Length}.");
        Inputs = inputs;
        Outputs = outputs;
        Relu = relu;
        Weights = weights;
        Bias = bias;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>ReLU after the affine map (hidden layers); false for the linear output layer.</summary>
    public bool Relu { get; }

    /// <summary>W, row-major [Outputs, Inputs]: the weight from input i to output o is at o * Inputs + i.</summary>
    public ReadOnlyMemory<float> Weights { get; }

    public ReadOnlyMemory<float> Bias { get; }
}
