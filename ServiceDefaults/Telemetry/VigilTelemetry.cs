using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Vigil.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry wired by hand (the hosting and instrumentation packages are not available here): traces from the
/// framework's own ActivitySources, metrics from its Meters, logs through the OpenTelemetry logger. Export over OTLP
/// is on exactly when OTEL_EXPORTER_OTLP_ENDPOINT is set; the exporter reads the other OTEL_* variables itself.
/// </summary>
public static class VigilTelemetry
{
    /// <summary>ActivitySource and Meter name prefix of Vigil's own instrumentation.</summary>
    public const string SourceName = "Vigil";

    public static readonly ActivitySource Source = new(SourceName);

    internal static readonly string[] TraceSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", SourceName, SourceName + ".*"];

    internal static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime",
        "Npgsql", "MassTransit", SourceName, SourceName + ".*",
    ];

    public static bool IsExportEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    internal static void Configure(IHostApplicationBuilder builder)
    {
        var export = IsExportEnabled(builder.Configuration);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (export) logging.AddOtlpExporter();
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                .AddSource(TraceSources);
            if (export) tracing.AddOtlpExporter();
            return tracing.Build()!;
        });
        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters);
            if (export) metrics.AddOtlpExporter();
            return metrics.Build()!;
        });
        // Providers must exist before the first request or message, and be flushed on shutdown (the container disposes them).
        builder.Services.AddHostedService<TelemetryProvidersActivator>();
        builder.Services.AddTransient<IStartupFilter, RequestTracingStartupFilter>();
    }
}
