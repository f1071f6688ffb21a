using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Vigil.Gateway.Routing;

/// <summary>
/// Passive health: a destination that refused a connection (or whose name did not resolve) is skipped for the
/// cluster's reactivation period from that first failure on; one that answered is healthy again. YARP's own
/// TransportFailureRate policy waits for a failure rate over a window, which lets a dead replica take many requests.
/// </summary>
public sealed class ConnectionFailureHealthPolicy(IDestinationHealthUpdater healthUpdater, ILogger<ConnectionFailureHealthPolicy> logger)
    : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ConnectionFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? GatewayRouteFilter.DefaultReactivationPeriod;
        if (IsConnectionFailure(context.GetForwarderErrorFeature()))
        {
            logger.DestinationUnreachable(cluster.ClusterId, destination.DestinationId, period);
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
        }
        else if (destination.Health.Passive != DestinationHealth.Healthy)
        {
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, period);
        }
    }

    private static bool IsConnectionFailure(IForwarderErrorFeature? error) =>
        error is { Error: ForwarderError.Request or ForwarderError.RequestCreation }
        && FindHttpRequestException(error.Exception) is { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private static HttpRequestException? FindHttpRequestException(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException match) return match;
        }

        return null;
    }
}
