using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;
using Vigil.Gateway.Access;

namespace Vigil.Gateway.Proxy;

/// <summary>Checks the proxy configuration at start so that a broken route fails the gateway, not a request.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();

        if (options.Routes.Count == 0)
        {
            failures.Add($"{GatewayOptions.SectionName}:Routes is empty; the gateway would forward nothing.");
        }

        foreach (var (routeId, route) in options.Routes)
        {
            ValidateRoute(routeId, route, options, failures);
        }

        foreach (var (clusterId, cluster) in options.Clusters)
        {
            ValidateCluster(clusterId, cluster, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateRoute(string routeId, RouteConfig route, GatewayOptions options, List<string> failures)
    {
        var where = $"Route '{routeId}'";

        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            failures.Add($"{where} has no ClusterId.");
        }
        else if (!options.Clusters.ContainsKey(route.ClusterId))
        {
            failures.Add($"{where} refers to cluster '{route.ClusterId}', which is not defined under {GatewayOptions.SectionName}:Clusters.");
        }

        if (string.IsNullOrWhiteSpace(route.Match.Path))
        {
            failures.Add($"{where} has no Match:Path.");
        }
        else
        {
            try
            {
                RoutePatternFactory.Parse(route.Match.Path);
            }
            catch (RoutePatternException ex)
            {
                failures.Add($"{where} has an invalid Match:Path '{route.Match.Path}': {ex.Message}");
            }
        }

        if (route.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add($"{where} has Timeout {timeout}; it must be positive.");
        }

        if (route.MaxRequestBodySize is < -1)
        {
            failures.Add($"{where} has MaxRequestBodySize {route.MaxRequestBodySize}; use a size in bytes, or -1 for no limit.");
        }

        if (route.AuthorizationPolicy is { } policy && !ApiKeyScopes.IsKnown(policy))
        {
            failures.Add($"{where} has AuthorizationPolicy '{policy}'; use one of {string.Join(", ", ApiKeyScopes.All)}.");
        }

        if (route.Match.Methods.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{where} lists an empty HTTP method under Match:Methods.");
        }
    }

    private static void ValidateCluster(string clusterId, ClusterConfig cluster, List<string> failures)
    {
        var where = $"Cluster '{clusterId}'";

        if (cluster.Destinations.Count == 0)
        {
            failures.Add($"{where} has no destinations; add at least one under Destinations with an Address.");
        }

        foreach (var (destinationId, destination) in cluster.Destinations)
        {
            if (!ServiceAddressResolver.IsValidAddress(destination.Address))
            {
                failures.Add($"{where} destination '{destinationId}' has Address '{destination.Address}'; expected an absolute http(s) address such as 'http://ingest'.");
            }
        }

        if (cluster.HealthCheck.Passive.ReactivationPeriod is { } period && period <= TimeSpan.Zero)
        {
            failures.Add($"{where} has HealthCheck:Passive:ReactivationPeriod {period}; it must be positive.");
        }
    }
}
