using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

public sealed class OtlpReceiverTraceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Receiver_gets_parent_and_child_spans_of_one_trace_from_the_otlp_http_exporter()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var source = TestTelemetry.NewSource();
        var before = DateTimeOffset.UtcNow;
        string traceId, parentId, childId;
        using (var tracing = TestTelemetry.StartTracing(receiver, "vigil-gateway", source))
        {
            using (var parent = source.StartActivity("POST /api/datasets/{name}/batches", ActivityKind.Server)!)
            {
                parent.SetTag("vigil.dataset", "banking.transactions");
                parent.SetTag("vigil.rows", 42);
                parent.SetTag("vigil.rerun", true);
                parent.SetTag("vigil.score", 0.5);
                using var child = source.StartActivity("publish BatchIngested", ActivityKind.Producer)!;
                child.SetTag("messaging.system", "rabbitmq");
                (traceId, parentId, childId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString(), child.SpanId.ToHexString());
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var after = DateTimeOffset.UtcNow;

        var spans = await receiver.WaitForSpansAsync(s => s.Count >= 2, Timeout);

        Assert.Equal(2, spans.Count);
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));
        Assert.All(spans, s => Assert.Equal("vigil-gateway", s.ServiceName));
        Assert.All(spans, s => Assert.Equal(source.Name, s.ScopeName));
        Assert.All(spans, s => Assert.InRange(s.StartTimeUnixNano, TestTelemetry.UnixNanos(before), s.EndTimeUnixNano));
        Assert.All(spans, s => Assert.InRange(s.EndTimeUnixNano, s.StartTimeUnixNano, TestTelemetry.UnixNanos(after)));

        var parentSpan = Assert.Single(spans, s => s.Name == "POST /api/datasets/{name}/batches");
        Assert.Equal(parentId, parentSpan.SpanId);
        Assert.True(parentSpan.IsRoot);
        Assert.Equal(2, parentSpan.Kind); // OTLP SPAN_KIND_SERVER
        Assert.Equal("banking.transactions", parentSpan.Attributes["vigil.dataset"]);
        Assert.Equal("42", parentSpan.Attributes["vigil.rows"]);
        Assert.Equal("true", parentSpan.Attributes["vigil.rerun"]);
        Assert.Equal("0.5", parentSpan.Attributes["vigil.score"]);

        var childSpan = Assert.Single(spans, s => s.Name == "publish BatchIngested");
        Assert.Equal(childId, childSpan.SpanId);
        Assert.Equal(parentId, childSpan.ParentSpanId);
        Assert.Equal(4, childSpan.Kind); // OTLP SPAN_KIND_PRODUCER
        Assert.Equal("rabbitmq", childSpan.Attributes["messaging.system"]);
    }

    [Fact]
    public async Task Receiver_tells_services_apart_within_one_trace()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var gatewaySource = TestTelemetry.NewSource();
        using var ingestSource = TestTelemetry.NewSource();
        using var gateway = TestTelemetry.StartTracing(receiver, "gateway", gatewaySource);
        using var ingest = TestTelemetry.StartTracing(receiver, "ingest", ingestSource);

        string traceId;
        using (var request = gatewaySource.StartActivity("forward", ActivityKind.Client)!)
        {
            traceId = request.TraceId.ToHexString();
            using var handler = ingestSource.StartActivity("POST /api/batches", ActivityKind.Server, request.Context)!;
        }

        Assert.True(gateway.ForceFlush(10_000));
        Assert.True(ingest.ForceFlush(10_000));

        var spans = await receiver.WaitForSpansAsync(
            s => s.Select(span => span.ServiceName).Distinct().Count() == 2,
            Timeout);

        Assert.Equal(["gateway", "ingest"], spans.Where(s => s.TraceId == traceId).Select(s => s.ServiceName).Order());
        var forward = Assert.Single(spans, s => s.ServiceName == "gateway");
        var handled = Assert.Single(spans, s => s.ServiceName == "ingest");
        Assert.Equal(forward.SpanId, handled.ParentSpanId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exporter_configured_only_by_the_otel_variables_posts_to_v1_traces_of_the_endpoint(bool trailingSlash)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var source = TestTelemetry.NewSource();
        var endpoint = receiver.Endpoint.GetLeftPart(UriPartial.Authority) + (trailingSlash ? "/" : "");
        // The variables a service process gets, handed over as IConfiguration so the test leaves the process environment alone.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            })
            .Build();

        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IConfiguration>(configuration))
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("scoring"))
            .AddSource(source.Name)
            .AddOtlpExporter()
            .Build())
        {
            source.StartActivity("score batch")!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        var spans = await receiver.WaitForSpansAsync(s => s.Count >= 1, Timeout);

        var span = Assert.Single(spans);
        Assert.Equal(("scoring", "score batch"), (span.ServiceName, span.Name));
        Assert.Equal(1, receiver.TraceRequests);
    }

    [Fact]
    public async Task Receiver_reads_gzip_compressed_exports()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var source = TestTelemetry.NewSource();
        using (var tracing = TestTelemetry.StartTracing(receiver, "validation", source, o => o.Compression = OtlpExportCompression.GZip))
        {
            using (var activity = source.StartActivity("validate batch")!)
            {
                activity.SetTag("vigil.rules", 12);
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var spans = await receiver.WaitForSpansAsync(s => s.Count >= 1, Timeout);

        var span = Assert.Single(spans);
        Assert.Equal("validate batch", span.Name);
        Assert.Equal("12", span.Attributes["vigil.rules"]);
    }
}
