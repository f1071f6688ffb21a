using System.Globalization;
using Google.Protobuf;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>
/// Reads an OTLP ExportTraceServiceRequest by field number (opentelemetry-proto
/// collector/trace/v1, trace/v1, resource/v1, common/v1). Fields not listed, or with an unexpected wire type, are skipped.
/// </summary>
internal static class OtlpTraceParser
{
    // ExportTraceServiceRequest
    private const int RequestResourceSpans = 1;
    // ResourceSpans
    private const int ResourceSpansResource = 1;
    private const int ResourceSpansScopeSpans = 2;
    // Resource
    private const int ResourceAttributes = 1;
    // ScopeSpans
    private const int ScopeSpansScope = 1;
    private const int ScopeSpansSpans = 2;
    // InstrumentationScope
    private const int ScopeName = 1;
    // Span
    private const int SpanTraceId = 1;
    private const int SpanSpanId = 2;
    private const int SpanParentSpanId = 4;
    private const int SpanName = 5;
    private const int SpanKind = 6;
    private const int SpanStartTime = 7;
    private const int SpanEndTime = 8;
    private const int SpanAttributes = 9;
    // KeyValue
    private const int KeyValueKey = 1;
    private const int KeyValueValue = 2;
    // AnyValue
    private const int AnyString = 1;
    private const int AnyBool = 2;
    private const int AnyInt = 3;
    private const int AnyDouble = 4;

    private const WireFormat.WireType Len = WireFormat.WireType.LengthDelimited;
    private const WireFormat.WireType Varint = WireFormat.WireType.Varint;
    private const WireFormat.WireType Fixed64 = WireFormat.WireType.Fixed64;

    public static IReadOnlyList<ReceivedSpan> Parse(byte[] body)
    {
        var spans = new List<ReceivedSpan>();
        var input = new CodedInputStream(body);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (Field(tag) == (RequestResourceSpans, Len))
            {
                ReadResourceSpans(input.ReadBytes(), spans);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ByteString bytes, List<ReceivedSpan> spans)
    {
        // The resource may follow the scope spans on the wire, so collect both first.
        var serviceName = "";
        var scopeSpans = new List<ByteString>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Field(tag))
            {
                case (ResourceSpansResource, Len):
                    var attributes = ReadAttributesField(input.ReadBytes(), ResourceAttributes);
                    serviceName = attributes.GetValueOrDefault("service.name", "");
                    break;
                case (ResourceSpansScopeSpans, Len):
                    scopeSpans.Add(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        foreach (var scope in scopeSpans)
        {
            ReadScopeSpans(scope, serviceName, spans);
        }
    }

    private static void ReadScopeSpans(ByteString bytes, string serviceName, List<ReceivedSpan> spans)
    {
        var scopeName = "";
        var rawSpans = new List<ByteString>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Field(tag))
            {
                case (ScopeSpansScope, Len):
                    scopeName = ReadScopeName(input.ReadBytes());
                    break;
                case (ScopeSpansSpans, Len):
                    rawSpans.Add(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        foreach (var span in rawSpans)
        {
            spans.Add(ReadSpan(span, serviceName, scopeName));
        }
    }

    private static string ReadScopeName(ByteString bytes)
    {
        var name = "";
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (Field(tag) == (ScopeName, Len))
            {
                name = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return name;
    }

    private static ReceivedSpan ReadSpan(ByteString bytes, string serviceName, string scopeName)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        int kind = 0;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Field(tag))
            {
                case (SpanTraceId, Len):
                    traceId = Hex(input.ReadBytes());
                    break;
                case (SpanSpanId, Len):
                    spanId = Hex(input.ReadBytes());
                    break;
                case (SpanParentSpanId, Len):
                    parentSpanId = Hex(input.ReadBytes());
                    break;
                case (SpanName, Len):
                    name = input.ReadString();
                    break;
                case (SpanKind, Varint):
                    kind = input.ReadEnum();
                    break;
                case (SpanStartTime, Fixed64):
                    start = input.ReadFixed64();
                    break;
                case (SpanEndTime, Fixed64):
                    end = input.ReadFixed64();
                    break;
                case (SpanAttributes, Len):
                    ReadKeyValue(input.ReadBytes(), attributes);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new ReceivedSpan(traceId, spanId, parentSpanId, name, kind, serviceName, scopeName, start, end, attributes);
    }

    /// <summary>Reads the repeated KeyValue field <paramref name="fieldNumber"/> of a message.</summary>
    private static Dictionary<string, string> ReadAttributesField(ByteString message, int fieldNumber)
    {
        var attributes = new Dictionary<string, string>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (Field(tag) == (fieldNumber, Len))
            {
                ReadKeyValue(input.ReadBytes(), attributes);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return attributes;
    }

    private static void ReadKeyValue(ByteString bytes, Dictionary<string, string> into)
    {
        string key = "";
        string? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Field(tag))
            {
                case (KeyValueKey, Len):
                    key = input.ReadString();
                    break;
                case (KeyValueValue, Len):
                    value = ReadAnyValue(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        // Arrays, kvlists and bytes are not rendered; such attributes are left out.
        if (value is not null)
        {
            into[key] = value;
        }
    }

    private static string? ReadAnyValue(ByteString bytes)
    {
        string? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Field(tag))
            {
                case (AnyString, Len):
                    value = input.ReadString();
                    break;
                case (AnyBool, Varint):
                    value = input.ReadBool() ? "true" : "false";
                    break;
                case (AnyInt, Varint):
                    value = input.ReadInt64().ToString(CultureInfo.InvariantCulture);
                    break;
                case (AnyDouble, Fixed64):
                    value = input.ReadDouble().ToString("R", CultureInfo.InvariantCulture);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return value;
    }

    private static (int Number, WireFormat.WireType Type) Field(uint tag) =>
        (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag));

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
