using Google.Protobuf;

namespace Vigil.Telemetry.UnitTests;

/// <summary>Writes protobuf messages field by field, including fields a parser has to skip.</summary>
internal sealed class ProtoMessage
{
    private readonly MemoryStream buffer = new();
    private readonly CodedOutputStream output;

    public ProtoMessage() => output = new CodedOutputStream(buffer);

    public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.ToByteArray());

    public ProtoMessage Bytes(int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoMessage String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoMessage Varint(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ProtoMessage Fixed64(int field, ulong value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteFixed64(value);
        return this;
    }

    public ProtoMessage Double(int field, double value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
        return this;
    }

    public ProtoMessage Fixed32(int field, uint value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFixed32(value);
        return this;
    }

    public ProtoMessage Group(int field, ProtoMessage content)
    {
        output.WriteTag(field, WireFormat.WireType.StartGroup);
        output.Flush();
        buffer.Write(content.ToByteArray());
        output.WriteTag(field, WireFormat.WireType.EndGroup);
        return this;
    }

    public byte[] ToByteArray()
    {
        output.Flush();
        return buffer.ToArray();
    }
}
