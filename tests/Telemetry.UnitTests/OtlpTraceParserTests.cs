using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

public sealed class OtlpTraceParserTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0AF7651916CD43DD8448EB211C80319C");
    private static readonly byte[] SpanId = Convert.FromHexString("B7AD6B7169203331");
    private static readonly byte[] ParentId = Convert.FromHexString("00F067AA0BA902B7");

    [Fact]
    public void Parser_skips_unknown_fields_of_every_wire_type_and_reads_what_follows_them()
    {
        var span = new ProtoMessage()
            .Bytes(1, TraceId)
            .String(3, "vendor=state")                                   // trace_state
            .Varint(1000, 5)                                             // unknown varint
            .Bytes(2, SpanId)
            .Fixed32(16, 0x301)                                          // flags
            .Bytes(4, ParentId)
            .Group(999, new ProtoMessage().String(1, "in a group"))      // unknown group
            .String(5, "validate batch")
            .Varint(6, 5)                                                // SPAN_KIND_CONSUMER
            .Fixed64(7, 1_700_000_000_000_000_000)
            .Fixed64(8, 1_700_000_000_250_000_000)
            .Message(9, Attribute("vigil.dataset", new ProtoMessage().String(1, "banking.transactions")))
            .Message(9, Attribute("vigil.delta", new ProtoMessage().Varint(3, -7)))
            .Message(9, Attribute("vigil.ok", new ProtoMessage().Varint(2, 0)))
            .Message(9, Attribute("vigil.ratio", new ProtoMessage().Double(4, 1.25)))
            .Message(9, Attribute("vigil.columns", new ProtoMessage().Message(5, new ProtoMessage().Message(1, new ProtoMessage().String(1, "id")))))
            .Varint(10, 3)                                               // dropped_attributes_count
            .Message(15, new ProtoMessage().String(2, "boom").Varint(3, 2)) // status
            .Fixed64(4242, 9);                                           // unknown fixed64

        var scopeSpans = new ProtoMessage()
            .Message(1, new ProtoMessage().String(1, "Vigil.Validation").String(2, "1.0.0"))
            .Message(2, span)
            .String(3, "https://opentelemetry.io/schemas/1.0.0");

        // The resource after its scope spans: order on the wire is free.
        var resourceSpans = new ProtoMessage()
            .Message(2, scopeSpans)
            .Message(1, new ProtoMessage()
                .Message(1, Attribute("telemetry.sdk.language", new ProtoMessage().String(1, "dotnet")))
                .Message(1, Attribute("service.name", new ProtoMessage().String(1, "validation")))
                .Varint(2, 0));

        var request = new ProtoMessage().Message(1, resourceSpans).Varint(77, 1).ToByteArray();

        var parsed = Assert.Single(OtlpTraceParser.Parse(request));

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", parsed.TraceId);
        Assert.Equal("b7ad6b7169203331", parsed.SpanId);
        Assert.Equal("00f067aa0ba902b7", parsed.ParentSpanId);
        Assert.Equal("validate batch", parsed.Name);
        Assert.Equal(5, parsed.Kind);
        Assert.Equal("validation", parsed.ServiceName);
        Assert.Equal("Vigil.Validation", parsed.ScopeName);
        Assert.Equal(1_700_000_000_000_000_000UL, parsed.StartTimeUnixNano);
        Assert.Equal(1_700_000_000_250_000_000UL, parsed.EndTimeUnixNano);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["vigil.dataset"] = "banking.transactions",
                ["vigil.delta"] = "-7",
                ["vigil.ok"] = "false",
                ["vigil.ratio"] = "1.25",
            },
            parsed.Attributes);
    }

    [Fact]
    public void Parser_skips_a_known_field_number_sent_with_an_unexpected_wire_type()
    {
        var span = new ProtoMessage()
            .Fixed64(1, 123)          // trace_id must be bytes
            .Bytes(6, [1, 2, 3])       // kind must be a varint
            .String(5, "still read");
        var request = new ProtoMessage()
            .Message(1, new ProtoMessage().Message(2, new ProtoMessage().Message(2, span)))
            .ToByteArray();

        var parsed = Assert.Single(OtlpTraceParser.Parse(request));

        Assert.Equal(("", 0, "still read"), (parsed.TraceId, parsed.Kind, parsed.Name));
        Assert.Equal("", parsed.ServiceName);
    }

    [Fact]
    public void Parser_reads_spans_of_several_resources_and_scopes()
    {
        static ProtoMessage Resource(string service, params string[] names)
        {
            var scope = new ProtoMessage().Message(1, new ProtoMessage().String(1, service + ".scope"));
            foreach (var name in names)
            {
                scope.Message(2, new ProtoMessage().Bytes(1, TraceId).String(5, name));
            }

            return new ProtoMessage()
                .Message(1, new ProtoMessage().Message(1, Attribute("service.name", new ProtoMessage().String(1, service))))
                .Message(2, scope);
        }

        var request = new ProtoMessage()
            .Message(1, Resource("ingest", "a", "b"))
            .Message(1, Resource("scoring", "c"))
            .ToByteArray();

        var spans = OtlpTraceParser.Parse(request);

        Assert.Equal(
            [("ingest", "ingest.scope", "a"), ("ingest", "ingest.scope", "b"), ("scoring", "scoring.scope", "c")],
            spans.Select(s => (s.ServiceName, s.ScopeName, s.Name)));
    }

    private static ProtoMessage Attribute(string key, ProtoMessage anyValue) =>
        new ProtoMessage().String(1, key).Message(2, anyValue);
}
