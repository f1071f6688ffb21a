namespace Vigil.Gateway.Routing;

/// <summary>The gateway's own log messages about forwarding (YARP logs the exchange itself).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Destination {DestinationId} of cluster {ClusterId} is unreachable; skipping it for {ReactivationPeriod}")]
    public static partial void DestinationUnreachable(this ILogger logger, string clusterId, string destinationId, TimeSpan reactivationPeriod);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Forwarding route {RouteId} to cluster {ClusterId} failed ({Error})")]
    public static partial void ForwardFailed(this ILogger logger, Exception? exception, string routeId, string clusterId, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Route {RouteId} timed out after {Timeout} waiting for cluster {ClusterId}")]
    public static partial void RouteTimedOut(this ILogger logger, string routeId, string clusterId, TimeSpan? timeout);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug,
        Message = "Client aborted the request on route {RouteId}; the call to cluster {ClusterId} was cancelled")]
    public static partial void ClientAborted(this ILogger logger, string routeId, string clusterId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information,
        Message = "Request body on route {RouteId} was rejected with status {StatusCode}")]
    public static partial void RequestBodyRejected(this ILogger logger, string routeId, int statusCode);
}
