using Vigil.ServiceDefaults.Problems;

namespace Vigil.Gateway.Routing;

/// <summary>The gateway's own error answers, as problem+json. Details name a cluster, never an internal address.</summary>
public static class ProxyProblems
{
    public static Task NotFound(HttpContext context) =>
        Write(context, StatusCodes.Status404NotFound, "Not Found", "No API route matches this path.");

    public static Task BadGateway(HttpContext context, string clusterId) =>
        Write(context, StatusCodes.Status502BadGateway, "Bad Gateway", $"The '{clusterId}' service could not be reached.");

    public static Task GatewayTimeout(HttpContext context, string clusterId, TimeSpan? timeout) =>
        Write(context, StatusCodes.Status504GatewayTimeout, "Gateway Timeout", $"The '{clusterId}' service did not answer within {timeout?.ToString() ?? "its time limit"}.");

    public static Task RequestRejected(HttpContext context, int statusCode, string reason) =>
        Write(context, statusCode, statusCode == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request", reason);

    private static Task Write(HttpContext context, int statusCode, string title, string detail) =>
        ApiProblem.WriteAsync(context, statusCode, title, detail);
}
