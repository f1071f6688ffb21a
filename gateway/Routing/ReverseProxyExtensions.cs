using Vigil.Gateway.Access;
using Yarp.ReverseProxy.Health;

namespace Vigil.Gateway.Routing;

public static class ReverseProxyExtensions
{
    /// <summary>Configuration section of the routes and clusters (YARP's own schema).</summary>
    public const string SectionName = "ReverseProxy";

    /// <summary>Order of the catch-all that answers unmatched <c>/api</c> paths: after every other endpoint.</summary>
    public const int UnmatchedApiOrder = int.MaxValue;

    /// <summary>
    /// YARP with routes and clusters from <c>ReverseProxy</c>; destinations resolved by service discovery
    /// (<c>http://ingest</c> becomes <c>services:ingest:http:0</c>, i.e. env var <c>services__ingest__http__0</c>, where it
    /// is set, and stays a DNS name otherwise); Vigil's route rules, header rules and passive health policy.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayReverseProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.Services.AddRequestTimeouts();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConnectionFailureHealthPolicy>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(SectionName))
            .AddConfigFilter<GatewayRouteFilter>()
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(GatewayTransforms.Apply);
        return builder;
    }

    /// <summary>
    /// One endpoint per configured route, carrying the route's <see cref="AccessRule"/>; the proxy pipeline with
    /// <see cref="ForwarderProblemsMiddleware"/> first; and a last-resort endpoint answering 404 problem+json for any
    /// other <c>/api</c> path. The configuration is loaded (and checked) here, so a broken one fails the start.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayReverseProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(proxy =>
            {
                proxy.UseMiddleware<ForwarderProblemsMiddleware>();
                proxy.UseSessionAffinity();
                proxy.UseLoadBalancing();
                proxy.UsePassiveHealthChecks();
            })
            .ConfigureEndpoints((endpoint, route) => endpoint.WithMetadata(AccessRule.ForRoute(
                route.Metadata?.GetValueOrDefault(GatewayRouteFilter.ScopeMetadataKey))));

        endpoints.Map("/api/{**path}", ProxyProblems.NotFound)
            .WithOrder(UnmatchedApiOrder)
            .ExcludeFromDescription()
            .WithDisplayName("Unmatched API path");

        return endpoints;
    }
}
