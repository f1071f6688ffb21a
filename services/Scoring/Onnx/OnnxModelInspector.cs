using Google.Protobuf;
using Vigil.Scoring.Onnx.Proto;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Onnx;

/// <summary>What an ONNX file declares: IR version, operator sets, producer, graph inputs and outputs.</summary>
public sealed record OnnxModelSummary(
    long IrVersion, IReadOnlyDictionary<string, long> Opsets, string Producer, IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs);

/// <summary>An ONNX file that cannot be used, with the reason in words a user can act on.</summary>
public sealed class OnnxModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads ONNX files with the project's own schema, before they reach ONNX Runtime: rejects what is not an ONNX model
/// (empty, not protobuf, truncated, no graph) and checks an uploaded autoencoder against the feature pipeline's width.
/// </summary>
public static class OnnxModelInspector
{
    public static OnnxModelSummary Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) throw new OnnxModelException("The ONNX file is empty.");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxModelException($"Not an ONNX model: the file is not a valid ONNX protobuf (truncated or another format): {e.Message}", e);
        }
        if (model.IrVersion <= 0 || model.Graph is null || model.OpsetImport.Count == 0)
            throw new OnnxModelException(
                $"Not an ONNX model: it has {(model.IrVersion <= 0 ? "no IR version" : model.Graph is null ? "no graph" : "no operator set import")}.");
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return new OnnxModelSummary(
            model.IrVersion,
            model.OpsetImport.GroupBy(o => o.Domain is "" ? "ai.onnx" : o.Domain).ToDictionary(g => g.Key, g => g.Max(o => o.Version)),
            $"{model.ProducerName} {model.ProducerVersion}".Trim(),
            [.. model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Describe)],
            [.. model.Graph.Output.Select(Describe)]);
    }

    /// <summary>
    /// Checks an uploaded autoencoder: exactly one float input [?, F] and one float output [?, F] where F is the feature
    /// pipeline's width. Throws <see cref="OnnxModelException"/> saying what does not match.
    /// </summary>
    public static OnnxModelSummary ValidateAutoencoder(ReadOnlySpan<byte> bytes, int featureCount)
    {
        var summary = Inspect(bytes);
        RequireAutoencoderSignature(summary.Inputs, summary.Outputs, featureCount);
        return summary;
    }

    internal static void RequireAutoencoderSignature(IReadOnlyList<OnnxTensorInfo> inputs, IReadOnlyList<OnnxTensorInfo> outputs, int featureCount)
    {
        if (inputs.Count != 1)
            throw new OnnxModelException($"An autoencoder takes one input (the feature vector); this model takes {inputs.Count}: {string.Join("; ", inputs)}.");
        if (outputs.Count != 1)
            throw new OnnxModelException($"An autoencoder gives one output (the reconstruction); this model gives {outputs.Count}: {string.Join("; ", outputs)}.");
        RequireRowsOfWidth(inputs[0], "input", featureCount);
        RequireRowsOfWidth(outputs[0], "output", featureCount);
    }

    private static void RequireRowsOfWidth(OnnxTensorInfo tensor, string role, int featureCount)
    {
        if (tensor.ElementType != TensorProto.Types.DataType.Float)
            throw new OnnxModelException($"The autoencoder's {role} '{tensor.Name}' is {tensor.ElementType}; it must be float.");
        if (!tensor.RankKnown || tensor.Shape.Count != 2)
            throw new OnnxModelException($"The autoencoder's {role} is {tensor}; it must be [rows, {featureCount}].");
        if (tensor.Shape[1] != featureCount)
            throw new OnnxModelException(
                $"The autoencoder's {role} is {tensor}, but the feature pipeline gives {featureCount} features: it must be [rows, {featureCount}].");
    }

    private static OnnxTensorInfo Describe(ValueInfoProto value)
    {
        if (value.Type?.TensorType is not { } tensor)
            return new OnnxTensorInfo(value.Name, TensorProto.Types.DataType.Undefined, [], [], RankKnown: false);
        if (tensor.Shape is null)
            return new OnnxTensorInfo(value.Name, (TensorProto.Types.DataType)tensor.ElemType, [], [], RankKnown: false);
        return new OnnxTensorInfo(value.Name, (TensorProto.Types.DataType)tensor.ElemType,
            [.. tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1)],
            [.. tensor.Shape.Dim.Select(d => d.DimParam)]);
    }
}
