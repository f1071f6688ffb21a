using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Vigil.Gateway.Access;
using Vigil.Gateway.Apis;
using Vigil.Gateway.Limits;
using Vigil.Gateway.OpenApi;
using Vigil.Gateway.Routing;
using Vigil.Gateway.Storage;
using Vigil.ServiceDefaults.Postgres;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Gateway.Extensions;

public static class GatewayServiceExtensions
{
    public const string RedisConnectionName = "redis";

    /// <summary>
    /// The reverse proxy (YARP, routes and clusters from <c>ReverseProxy</c>) and its access control (options from
    /// <c>Gateway</c>), both checked at start. Where keys and rate limits are kept comes from <see cref="AddGatewayStores"/>.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.AddGatewayReverseProxy();

        builder.Services.AddOptions<AccessOptions>()
            .Bind(builder.Configuration.GetSection(AccessOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<MergedOpenApiDocument>();
        builder.Services.AddHttpClient(MergedOpenApiDocument.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));

        return builder;
    }

    /// <summary>API keys in Postgres (schema <c>gateway</c>), rate-limit buckets in Redis.</summary>
    public static IHostApplicationBuilder AddGatewayStores(this IHostApplicationBuilder builder)
    {
        builder.AddVigilPostgres("gateway", typeof(GatewayServiceExtensions).Assembly);
        builder.AddVigilRedis(RedisConnectionName);
        // Rate limiting fails open, so a Redis outage must not take the gateway out of service: readiness stays 200.
        builder.Services.Configure<HealthCheckServiceOptions>(health =>
        {
            foreach (var redis in health.Registrations.Where(r => r.Name == RedisConnectionName)) redis.FailureStatus = HealthStatus.Degraded;
        });
        builder.Services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        builder.Services.AddSingleton<IRateLimiter, RedisRateLimiter>();
        return builder;
    }

    /// <summary>
    /// Access control in front of everything under /api, the key-management API, the merged OpenAPI document and its
    /// page (/openapi.json, /docs), the proxied routes and the 404 problem+json answer for unmatched <c>/api</c> paths.
    /// Route timeouts (a route's <c>Timeout</c>) run after access control, so a slow key lookup does not eat into them.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseMiddleware<AccessControlMiddleware>();
        app.UseRequestTimeouts();
        app.MapAdminKeysApi();
        app.MapMergedOpenApi();
        app.MapGatewayReverseProxy();
        return app;
    }
}
