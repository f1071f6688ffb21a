using Vigil.Scoring.Onnx.Proto;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// A model input or output as a session (or the model file) declares it. <see cref="Shape"/> has -1 where a dimension
/// is not fixed (then <see cref="SymbolicDimensions"/> may name it, e.g. "N"); an empty shape with
/// <see cref="RankKnown"/> false means the rank itself is unknown.
/// </summary>
public sealed record OnnxTensorInfo(
    string Name, TensorProto.Types.DataType ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> SymbolicDimensions, bool RankKnown = true)
{
    public override string ToString()
    {
        var dims = RankKnown
            ? string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : i < SymbolicDimensions.Count && SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?"))
            : "unknown rank";
        return $"{Name}: {ElementType.ToString().ToLowerInvariant()} [{dims}]";
    }
}

/// <summary>A float tensor a run produced: row-major values and their shape.</summary>
public sealed record OnnxTensor(float[] Values, long[] Shape);

/// <summary>Where a run writes one output: a buffer of exactly the output's element count, and the output's shape.</summary>
public readonly record struct OnnxOutputBuffer(Memory<float> Buffer, long[] Shape);
