using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

/// <summary>Real OpenTelemetry SDK pipelines exporting to an <see cref="OtlpReceiver"/>.</summary>
internal static class TestTelemetry
{
    /// <summary>
    /// ActivitySource listeners are process-wide and xUnit runs test classes in parallel,
    /// so every test gets its own source name; otherwise one test's provider exports another's spans.
    /// </summary>
    public static ActivitySource NewSource() => new($"Test.{Guid.NewGuid():N}");

    public static TracerProvider StartTracing(
        OtlpReceiver receiver,
        string serviceName,
        ActivitySource source,
        Action<OtlpExporterOptions>? configure = null) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(source.Name)
            .AddOtlpExporter(options =>
            {
                options.Endpoint = new Uri(receiver.Endpoint, "/v1/traces");
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                configure?.Invoke(options);
            })
            .Build();

    public static ulong UnixNanos(DateTimeOffset time) => (ulong)(time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
