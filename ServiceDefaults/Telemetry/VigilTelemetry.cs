using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
/// OpenTelemetry through OpenTelemetry.Extensions.Hosting: traces from ASP.NET Core, HttpClient, Npgsql, MassTransit
/// (whose headers carry the trace context through RabbitMQ) and Vigil's own sources; metrics from the same plus the
/// runtime; logs through the OpenTelemetry logger. Export over OTLP is on exactly when OTEL_EXPORTER_OTLP_ENDPOINT is
/// set (the exporter reads the other OTEL_* settings itself). Health probes are left out of traces.
/// </summary>
public static class VigilTelemetry
{
    /// <summary>ActivitySource and Meter name prefix of Vigil's own instrumentation.</summary>
    public const string SourceName = "Vigil";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Sources beside the instrumented ASP.NET Core and HttpClient ones; "MassTransit" is MassTransit's own.</summary>
    internal static readonly string[] TraceSources = ["Npgsql", "MassTransit", SourceName, SourceName + ".*"];

    internal static readonly string[] Meters = ["Npgsql", "MassTransit", SourceName, SourceName + ".*"];

    public static bool IsExportEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    internal static void Configure(IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName,
                // The orchestrator names each instance (OTEL_RESOURCE_ATTRIBUTES); a generated id would hide which resource sent it.
                autoGenerateServiceInstanceId: false))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspnet =>
                {
                    aspnet.Filter = context => !IsHealthProbe(context.Request.Path);
                    aspnet.EnrichWithHttpResponse = NameAfterRoute;
                })
                .AddHttpClientInstrumentation()
                .AddSource(TraceSources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters));
        if (IsExportEnabled(builder.Configuration)) telemetry.UseOtlpExporter();
    }

    /// <summary>
    /// Names the request span "{method} {route}" with the route as the endpoint declares it, from the root
    /// ("GET /api/runs/{id:guid}" where the group is mapped as "api/runs"), so every service's spans read alike.
    /// </summary>
    private static void NameAfterRoute(Activity activity, HttpResponse response)
    {
        if ((response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is not { } raw) return;
        var route = "/" + raw.TrimStart('/');
        activity.SetTag("http.route", route);
        activity.DisplayName = $"{response.HttpContext.Request.Method} {route}";
    }

    /// <summary>
    /// /health and /alive: filtered out, their request span is not recorded, and neither are the calls the checks make
    /// under it (database pings, S3 checks), which follow their parent's sampling decision.
    /// </summary>
    internal static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.HealthPath) || path.StartsWithSegments(ServiceDefaultsExtensions.AlivePath);
}
