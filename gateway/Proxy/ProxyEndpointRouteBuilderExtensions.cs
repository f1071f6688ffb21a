using Microsoft.Extensions.Options;
using Vigil.Gateway.Access;

namespace Vigil.Gateway.Proxy;

public static class ProxyEndpointRouteBuilderExtensions
{
    /// <summary>Order of the catch-all that answers unmatched <c>/api</c> paths: after every other endpoint.</summary>
    public const int UnmatchedApiOrder = int.MaxValue;

    /// <summary>
    /// Maps one endpoint per configured route (endpoint routing picks the route: lowest Order first, then the most
    /// specific pattern), and a last-resort endpoint answering 404 problem+json for any other <c>/api</c> path.
    /// Reading the options here validates them, so a broken configuration fails at start.
    /// </summary>
    public static IEndpointRouteBuilder MapReverseProxy(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var forwarder = endpoints.ServiceProvider.GetRequiredService<HttpForwarder>();

        foreach (var (routeId, route) in options.Routes)
        {
            RequestDelegate forward = context => forwarder.ForwardAsync(context, routeId, route);
            var endpoint = endpoints.Map(route.Match.Path, forward)
                .WithOrder(route.Order ?? 0)
                .WithMetadata(AccessRule.ForRoute(route.AuthorizationPolicy))
                .ExcludeFromDescription() // described by the destination's own document, merged at /openapi.json
                .WithDisplayName($"Proxy route '{routeId}' to cluster '{route.ClusterId}'");

            if (route.Match.Methods.Count > 0)
            {
                endpoint.WithMetadata(new HttpMethodMetadata(route.Match.Methods));
            }
        }

        endpoints.Map("/api/{**path}", ProxyProblems.NotFound)
            .WithOrder(UnmatchedApiOrder)
            .ExcludeFromDescription()
            .WithDisplayName("Unmatched API path");

        return endpoints;
    }
}
