using Google.Protobuf;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>
/// A linear "autoencoder" written straight in the ONNX wire format, as a model exported by another tool would arrive:
/// reconstruction = features x W + b, over a float input [N, width]. Written here with its own few lines of protobuf,
/// independent of the scoring service's exporter, so an upload proves a foreign file works. Field numbers are those of
/// onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto).
/// </summary>
public static class ForeignOnnxAutoencoder
{
    public static byte[] Linear(int inputWidth, int outputWidth, float weight = 0, float bias = 0)
    {
        var graph = Message(w =>
        {
            Field(w, 1, Node("MatMul", ["features", "W"], "projected"));
            Field(w, 1, Node("Add", ["projected", "b"], "reconstruction"));
            String(w, 2, "foreign_linear_autoencoder");
            Field(w, 5, FloatTensor("W", [inputWidth, outputWidth], Enumerable.Repeat(weight, inputWidth * outputWidth)));
            Field(w, 5, FloatTensor("b", [outputWidth], Enumerable.Repeat(bias, outputWidth)));
            Field(w, 11, FloatValue("features", inputWidth));
            Field(w, 12, FloatValue("reconstruction", outputWidth));
        });
        return Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.Varint);
            w.WriteInt64(8); // ir_version
            String(w, 2, "a tool that is not Vigil");
            Field(w, 7, graph);
            Field(w, 8, Message(opset =>
            {
                String(opset, 1, "");
                opset.WriteTag(2, WireFormat.WireType.Varint);
                opset.WriteInt64(17);
            }));
        });
    }

    private static byte[] Node(string op, string[] inputs, string output) => Message(w =>
    {
        foreach (var input in inputs) String(w, 1, input);
        String(w, 2, output);
        String(w, 4, op);
    });

    private static byte[] FloatTensor(string name, long[] dims, IEnumerable<float> values) => Message(w =>
    {
        foreach (var dim in dims)
        {
            w.WriteTag(1, WireFormat.WireType.Varint);
            w.WriteInt64(dim);
        }
        w.WriteTag(2, WireFormat.WireType.Varint);
        w.WriteInt32(1); // FLOAT
        String(w, 8, name);
        w.WriteTag(9, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom([.. values.SelectMany(BitConverter.GetBytes)]));
    });

    /// <summary>A float tensor value [N, width] with a symbolic row dimension.</summary>
    private static byte[] FloatValue(string name, int width) => Message(w =>
    {
        String(w, 1, name);
        Field(w, 2, Message(type => Field(type, 1, Message(tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint);
            tensor.WriteInt32(1); // FLOAT
            Field(tensor, 2, Message(shape =>
            {
                Field(shape, 1, Message(dim => String(dim, 2, "N")));
                Field(shape, 1, Message(dim =>
                {
                    dim.WriteTag(1, WireFormat.WireType.Varint);
                    dim.WriteInt64(width);
                }));
            }));
        }))));
    });

    private static void Field(CodedOutputStream w, int number, byte[] message)
    {
        w.WriteTag(number, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom(message));
    }

    private static void String(CodedOutputStream w, int number, string value)
    {
        w.WriteTag(number, WireFormat.WireType.LengthDelimited);
        w.WriteString(value);
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) write(output);
        return buffer.ToArray();
    }
}
