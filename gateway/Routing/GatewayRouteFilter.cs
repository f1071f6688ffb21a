using Vigil.Gateway.Access;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Vigil.Gateway.Routing;

/// <summary>
/// Vigil's rules on top of YARP's <c>ReverseProxy</c> configuration, applied at every (re)load:
/// a route must name a defined cluster and a known API key scope; its <c>AuthorizationPolicy</c> (the scope) moves to
/// route metadata, where <see cref="AccessControlMiddleware"/> reads it (API keys are Vigil's, not ASP.NET
/// authorization policies); a route without a <c>Timeout</c> gets <see cref="DefaultRouteTimeout"/>. A cluster gets
/// round-robin balancing and <see cref="ConnectionFailureHealthPolicy"/> unless it says otherwise. A broken route
/// fails the load, so the gateway does not start with it.
/// </summary>
public sealed class GatewayRouteFilter : IProxyConfigFilter
{
    /// <summary>Route metadata key holding the scope that writes to the route need.</summary>
    public const string ScopeMetadataKey = "Vigil.ApiKeyScope";

    /// <summary>Time allowed for a whole exchange on a route that sets no <c>Timeout</c>.</summary>
    public static readonly TimeSpan DefaultRouteTimeout = TimeSpan.FromSeconds(100);

    /// <summary>How long a destination that refused a connection is skipped, unless the cluster sets its own.</summary>
    public static readonly TimeSpan DefaultReactivationPeriod = TimeSpan.FromSeconds(30);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        if (cluster is null)
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' refers to cluster '{route.ClusterId}', which is not defined under ReverseProxy:Clusters.");
        }

        var scope = route.AuthorizationPolicy ?? AccessRule.DefaultWriteScope;
        if (!ApiKeyScopes.IsKnown(scope))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' has AuthorizationPolicy '{scope}'; use one of {string.Join(", ", ApiKeyScopes.All)}.");
        }

        var metadata = new Dictionary<string, string>(route.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
        {
            [ScopeMetadataKey] = scope,
        };
        return ValueTask.FromResult(route with
        {
            AuthorizationPolicy = null,
            Metadata = metadata,
            Timeout = route.Timeout ?? (route.TimeoutPolicy is null ? DefaultRouteTimeout : null),
        });
    }

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.Destinations is not { Count: > 0 })
        {
            throw new InvalidOperationException(
                $"Cluster '{cluster.ClusterId}' has no destinations; add at least one under Destinations with an Address such as 'http://ingest'.");
        }

        var health = cluster.HealthCheck ?? new HealthCheckConfig();
        var passive = health.Passive ?? new PassiveHealthCheckConfig { Enabled = true };
        return ValueTask.FromResult(cluster with
        {
            LoadBalancingPolicy = cluster.LoadBalancingPolicy ?? LoadBalancingPolicies.RoundRobin,
            HealthCheck = health with
            {
                // Every destination failing: keep trying them all rather than refusing every request.
                AvailableDestinationsPolicy = health.AvailableDestinationsPolicy ?? HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
                Passive = passive with
                {
                    Policy = passive.Policy ?? ConnectionFailureHealthPolicy.PolicyName,
                    ReactivationPeriod = passive.ReactivationPeriod ?? DefaultReactivationPeriod,
                },
            },
            // The route's Timeout bounds the whole exchange (request timeouts); no separate idle limit below it.
            HttpRequest = (cluster.HttpRequest ?? new()) with
            {
                ActivityTimeout = cluster.HttpRequest?.ActivityTimeout ?? Timeout.InfiniteTimeSpan,
            },
        });
    }
}
