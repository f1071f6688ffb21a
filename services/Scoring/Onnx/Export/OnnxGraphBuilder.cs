using System.Runtime.InteropServices;
using Google.Protobuf;
using Vigil.Scoring.Onnx.Proto;

namespace Vigil.Scoring.Onnx.Export;

/// <summary>
/// Builds an ONNX model graph node by node: float and int64 constants as initializers, nodes with attributes, and
/// float graph inputs/outputs whose first dimension is the symbolic row count "N".
/// </summary>
internal sealed class OnnxGraphBuilder(string graphName)
{
    public const string RowDimension = "N";

    /// <summary>Opset of the default domain the exporters use (ReduceMax/ReduceMean/ReduceL2 still take axes as an attribute).</summary>
    public const long DefaultOpset = 17;

    /// <summary>ai.onnx.ml opset of TreeEnsembleRegressor with float attributes (supported by ONNX Runtime since 1.10).</summary>
    public const long MlOpset = 3;

    public const string MlDomain = "ai.onnx.ml";

    private const long IrVersion = 8;

    private readonly GraphProto _graph = new() { Name = graphName };
    private bool _usesMl;
    private int _names;

    public string Input(string name, params long[] trailingDims)
    {
        _graph.Input.Add(ValueInfo(name, trailingDims));
        return name;
    }

    public void Output(string name, params long[] trailingDims) => _graph.Output.Add(ValueInfo(name, trailingDims));

    public string Constant(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(string hint, float value) => Constant(hint, [value]);

    public string Int64Constant(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node; returns its (first) output, named <paramref name="output"/> or a fresh name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, string domain = "", params AttributeProto[] attributes)
    {
        output ??= Fresh(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Domain = domain, Name = Fresh("node_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        if (domain == MlDomain) _usesMl = true;
        return output;
    }

    public byte[] ToBytes(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "vigil-scoring",
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = DefaultOpset });
        if (_usesMl) model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        return model.ToByteArray();
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private string Fresh(string hint) => $"{hint}_{_names++}";

    private static ValueInfoProto ValueInfo(string name, long[] trailingDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = RowDimension });
        foreach (var d in trailingDims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
