using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// The shape of a stack of dense layers whose parameters live in one flat array (W then b per layer), and the kernels
/// that run it over a block of rows. Blocks are feature-major ([features, rows]: feature i of all rows contiguous), so
/// every kernel is a SIMD pass over a row-long span (TensorPrimitives) however narrow the layers are.
/// </summary>
internal sealed class DenseNetwork
{
    public DenseNetwork(IReadOnlyList<int> widths, IReadOnlyList<bool> relu)
    {
        var layers = new LayerShape[widths.Count - 1];
        var offset = 0;
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l] = new LayerShape(widths[l], widths[l + 1], relu[l], offset, offset + widths[l] * widths[l + 1]);
            offset += (widths[l] + 1) * widths[l + 1];
        }
        Layers = layers;
        ParameterCount = offset;
        Features = widths[0];
        MaxWidth = widths.Max();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    public int ParameterCount { get; }

    public int Features { get; }

    public int MaxWidth { get; }

    /// <summary>
    /// Runs the block in <see cref="Workspace.Input"/> (feature-major, <paramref name="rows"/> rows) through every layer;
    /// the reconstruction ends in <see cref="Workspace.Output"/>.
    /// </summary>
    public void Forward(ReadOnlySpan<float> parameters, Workspace workspace, int rows)
    {
        for (var l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            var input = workspace.Activations[l].AsSpan(0, layer.Inputs * rows);
            var output = workspace.Activations[l + 1].AsSpan(0, layer.Outputs * rows);
            var weights = parameters.Slice(layer.WeightOffset, layer.Inputs * layer.Outputs);
            var bias = parameters.Slice(layer.BiasOffset, layer.Outputs);
            Affine(input, weights, bias, output, layer.Inputs, layer.Outputs, rows, layer.Relu);
        }
    }

    /// <summary>
    /// output[o] = bias[o] + Σ_i weights[o, i] x input[i] (i ascending, one multiply-add per step), then ReLU where asked,
    /// over feature-major blocks. Four outputs share each load of an input vector, so the inner loop does four
    /// multiply-adds per load instead of reading and writing the output once per input.
    /// </summary>
    private static void Affine(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output,
        int inputs, int outputs, int rows, bool relu)
    {
        const int Group = 4;
        var lanes = Vector256<float>.Count;
        var vectorRows = Vector256.IsHardwareAccelerated ? rows - rows % lanes : 0;
        var o = 0;
        for (; o + Group <= outputs; o += Group)
        {
            var w0 = weights.Slice(o * inputs, inputs);
            var w1 = weights.Slice((o + 1) * inputs, inputs);
            var w2 = weights.Slice((o + 2) * inputs, inputs);
            var w3 = weights.Slice((o + 3) * inputs, inputs);
            for (var r = 0; r < vectorRows; r += lanes)
            {
                var a0 = Vector256.Create(bias[o]);
                var a1 = Vector256.Create(bias[o + 1]);
                var a2 = Vector256.Create(bias[o + 2]);
                var a3 = Vector256.Create(bias[o + 3]);
                for (var i = 0; i < inputs; i++)
                {
                    var x = Vector256.Create(input.Slice(i * rows + r, lanes));
                    a0 = MultiplyAdd(x, w0[i], a0);
                    a1 = MultiplyAdd(x, w1[i], a1);
                    a2 = MultiplyAdd(x, w2[i], a2);
                    a3 = MultiplyAdd(x, w3[i], a3);
                }
                Store(a0, output, o * rows + r, relu);
                Store(a1, output, (o + 1) * rows + r, relu);
                Store(a2, output, (o + 2) * rows + r, relu);
                Store(a3, output, (o + 3) * rows + r, relu);
            }
            for (var k = 0; k < Group; k++) AffineRows(input, weights.Slice((o + k) * inputs, inputs), bias[o + k], output, o + k, rows, vectorRows, relu);
        }
        for (; o < outputs; o++) AffineRows(input, weights.Slice(o * inputs, inputs), bias[o], output, o, rows, 0, relu);
    }

    /// <summary>One output for rows from <paramref name="first"/> on, one element at a time, with the same arithmetic as the vector path.</summary>
    private static void AffineRows(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, float bias, Span<float> output, int o, int rows, int first, bool relu)
    {
        var inputs = weights.Length;
        for (var r = first; r < rows; r++)
        {
            var a = bias;
            for (var i = 0; i < inputs; i++) a = MathF.FusedMultiplyAdd(input[i * rows + r], weights[i], a);
            output[o * rows + r] = relu ? Math.Max(a, 0f) : a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> x, float w, Vector256<float> addend) =>
        Vector256.FusedMultiplyAdd(x, Vector256.Create(w), addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, Span<float> output, int at, bool relu) =>
        (relu ? Vector256.Max(value, Vector256<float>.Zero) : value).CopyTo(output.Slice(at, Vector256<float>.Count));

    /// <summary>
    /// Back-propagates the loss sum((output - input)^2) x <paramref name="lossScale"/> of a block that
    /// <see cref="Forward"/> has just run, writing (not adding) its gradient into <paramref name="gradient"/>.
    /// Returns the block's sum of squared errors. Assumes every layer but the last is ReLU (as training builds them).
    /// </summary>
    public double Backward(ReadOnlySpan<float> parameters, Workspace workspace, int rows, float lossScale, Span<float> gradient)
    {
        var delta = workspace.Delta.AsSpan(0, Features * rows);
        TensorPrimitives.Subtract(workspace.Activations[Layers.Count].AsSpan(0, Features * rows), workspace.Activations[0].AsSpan(0, Features * rows), delta);
        double squaredErrors = TensorPrimitives.Dot(delta, delta);
        TensorPrimitives.Multiply(delta, 2f * lossScale, delta);

        for (var l = Layers.Count - 1; l >= 0; l--)
        {
            var layer = Layers[l];
            var input = workspace.Activations[l].AsSpan(0, layer.Inputs * rows);
            var weights = parameters.Slice(layer.WeightOffset, layer.Inputs * layer.Outputs);
            var weightGradient = gradient.Slice(layer.WeightOffset, layer.Inputs * layer.Outputs);
            var biasGradient = gradient.Slice(layer.BiasOffset, layer.Outputs);
            for (var o = 0; o < layer.Outputs; o++)
            {
                var d = delta.Slice(o * rows, rows);
                biasGradient[o] = TensorPrimitives.Sum(d);
                var g = weightGradient.Slice(o * layer.Inputs, layer.Inputs);
                for (var i = 0; i < layer.Inputs; i++) g[i] = TensorPrimitives.Dot(d, input.Slice(i * rows, rows));
            }
            if (l == 0) break;

            // dL/d(input) = W^T delta, then through the ReLU that produced the input: zero where it was not positive.
            var previous = workspace.PreviousDelta.AsSpan(0, layer.Inputs * rows);
            for (var i = 0; i < layer.Inputs; i++)
            {
                var p = previous.Slice(i * rows, rows);
                p.Clear();
                for (var o = 0; o < layer.Outputs; o++)
                    TensorPrimitives.MultiplyAdd(delta.Slice(o * rows, rows), weights[o * layer.Inputs + i], p, p);
                ReluGate(p, input.Slice(i * rows, rows));
            }
            delta = previous;
            (workspace.Delta, workspace.PreviousDelta) = (workspace.PreviousDelta, workspace.Delta);
        }
        return squaredErrors;
    }

    /// <summary>gradient[j] = 0 where activation[j] &lt;= 0 (ReLU's derivative).</summary>
    private static void ReluGate(Span<float> gradient, ReadOnlySpan<float> activation)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + Vector<float>.Count <= gradient.Length; j += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[j..]);
                var a = new Vector<float>(activation[j..]);
                Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), g, Vector<float>.Zero).CopyTo(gradient[j..]);
            }
        }
        for (; j < gradient.Length; j++)
            if (!(activation[j] > 0)) gradient[j] = 0;
    }

    /// <summary>Buffers for one block of up to <see cref="Rows"/> rows; one per worker or per gradient chunk, never shared.</summary>
    public sealed class Workspace
    {
        public Workspace(DenseNetwork network, int rows)
        {
            Rows = rows;
            Activations = new float[network.Layers.Count + 1][];
            Activations[0] = new float[network.Features * rows];
            for (var l = 0; l < network.Layers.Count; l++) Activations[l + 1] = new float[network.Layers[l].Outputs * rows];
            Delta = new float[network.MaxWidth * rows];
            PreviousDelta = new float[network.MaxWidth * rows];
        }

        public int Rows { get; }

        /// <summary>Activations[0] is the (standardised) input block; Activations[l + 1] the output of layer l.</summary>
        public float[][] Activations { get; }

        public float[] Input => Activations[0];

        public float[] Output => Activations[^1];

        public float[] Delta { get; set; }

        public float[] PreviousDelta { get; set; }
    }
}

/// <summary>Where layer l's weights ([Outputs, Inputs], row-major) and biases sit in the flat parameter array.</summary>
internal readonly record struct LayerShape(int Inputs, int Outputs, bool Relu, int WeightOffset, int BiasOffset);
