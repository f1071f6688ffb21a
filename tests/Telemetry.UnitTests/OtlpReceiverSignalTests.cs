using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

public sealed class OtlpReceiverSignalTests
{
    [Fact]
    public async Task Receiver_counts_metrics_exports_without_taking_them_for_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var meter = new Meter($"Test.{Guid.NewGuid():N}");
        using var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("ingest"))
            .AddMeter(meter.Name)
            .AddOtlpExporter(options =>
            {
                options.Endpoint = new Uri(receiver.Endpoint, "/v1/metrics");
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();

        meter.CreateCounter<long>("vigil.batches").Add(1);
        Assert.True(metrics.ForceFlush(10_000));

        Assert.True(receiver.MetricsRequests >= 1, $"metrics requests: {receiver.MetricsRequests}");
        Assert.Equal(0, receiver.LogsRequests);
        Assert.Equal(0, receiver.TraceRequests);
        Assert.Empty(receiver.Spans);
    }

    [Fact]
    public async Task Receiver_counts_logs_exports_without_taking_them_for_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel => otel
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("alerting"))
            .AddOtlpExporter(options =>
            {
                options.Endpoint = new Uri(receiver.Endpoint, "/v1/logs");
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
            }))))
        {
            loggerFactory.CreateLogger("Test").LogWarning("Alert {AlertId} throttled", 7);
        } // disposing the factory shuts the provider down, which flushes the batch

        Assert.Equal(1, receiver.LogsRequests);
        Assert.Equal(0, receiver.MetricsRequests);
        Assert.Empty(receiver.Spans);
    }
}
