using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Vigil.ServiceDefaults.Health;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.Problems;
using Vigil.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Vigil service gets with one call: telemetry, health checks, problem details.</summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddBadRequestProblems();
        builder.Services.AddExceptionHandler<Vigil.ServiceDefaults.DependencyUnavailableHandler>();
        builder.Services.AddTransient<IStartupFilter, Vigil.ServiceDefaults.ProblemDetailsStartupFilter>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IDeveloperPageExceptionFilter, Vigil.ServiceDefaults.ProblemDetailsDeveloperPageFilter>();
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        builder.AddVigilOpenApi();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        VigilTelemetry.Configure(builder);
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// /health: every check (readiness, dependencies included); /alive: only the process itself (liveness).
    /// Mapped in every environment because Kubernetes probes need them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Inside the developer exception page and ahead of every endpoint: binding failures name the field.
        app.UseBadRequestProblems();
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapDeadLettersApi();
        return app;
    }
}
