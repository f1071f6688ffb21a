using Aspire.Hosting.ApplicationModel;

namespace Vigil.AppHost.Resources;

/// <summary>
/// The gateway's route to the web dashboard: <c>/ui/**</c> to the dashboard resource, added as YARP configuration
/// through the gateway's environment (ReverseProxy:Routes:dashboard, ReverseProxy:Clusters:dashboard), beside the
/// API routes of its appsettings.json. The gateway's access control guards only /api, so /ui needs no key header:
/// the dashboard signs people in itself and calls the API with their key. The route's scope (read) is metadata the
/// route checker requires; it is not enforced outside /api.
/// </summary>
public static class DashboardRoute
{
    public const string PathPattern = "/ui/{**rest}";

    public static IResourceBuilder<ExecutableResource> WithDashboardRoute(this IResourceBuilder<ExecutableResource> gateway,
        IResourceBuilder<ExecutableResource> dashboard) => gateway
        // Proxied on demand like the other routes: the gateway answers 502/503 for /ui while the dashboard is down.
        .WithReference(dashboard.GetEndpoint("http"))
        .WithEnvironment("ReverseProxy__Routes__dashboard__ClusterId", dashboard.Resource.Name)
        .WithEnvironment("ReverseProxy__Routes__dashboard__AuthorizationPolicy", "read")
        .WithEnvironment("ReverseProxy__Routes__dashboard__Match__Path", PathPattern)
        .WithEnvironment("ReverseProxy__Clusters__dashboard__Destinations__d1__Address", $"http://{dashboard.Resource.Name}");
}
