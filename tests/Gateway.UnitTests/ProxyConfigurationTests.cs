using Microsoft.Extensions.DependencyInjection;
using Vigil.Gateway.Access;
using Vigil.Gateway.Extensions;
using Vigil.Gateway.Routing;
using Vigil.Gateway.UnitTests.Support;
using Yarp.ReverseProxy;

namespace Vigil.Gateway.UnitTests;

/// <summary>The <c>ReverseProxy</c> section as YARP loads it with Vigil's route rules: what starts and what refuses to.</summary>
public sealed class ProxyConfigurationTests
{
    private static string ShippedJson => Path.Combine(AppContext.BaseDirectory, "shipped", "gateway.appsettings.json");

    [Fact]
    public async Task Shipped_configuration_loads_with_every_route_scoped_and_batches_before_datasets()
    {
        await using var gateway = await TestServers.StartGatewayAsync([], jsonFile: ShippedJson);
        var routes = gateway.App.Services.GetRequiredService<IProxyStateLookup>().GetRoutes().ToDictionary(r => r.Config.RouteId);

        Assert.Equal(["alerts", "anomalies", "backfills", "batches", "datasets", "event-anomalies", "events", "feedback", "history", "lineage", "models", "pulls", "reconciliations", "runs", "schedule", "scores", "scores-report", "system"], routes.Keys.Order());
        string Scope(string id) => routes[id].Config.Metadata![GatewayRouteFilter.ScopeMetadataKey];
        Assert.All(routes.Keys, id => Assert.True(ApiKeyScopes.IsKnown(Scope(id)), id));
        Assert.All(new[] { "batches", "reconciliations", "pulls", "backfills", "events" }, id => Assert.Equal(ApiKeyScopes.Ingest, Scope(id)));
        Assert.All(new[] { "datasets", "models", "alerts" }, id => Assert.Equal(ApiKeyScopes.Admin, Scope(id)));
        Assert.All(routes.Values, route => Assert.Null(route.Config.AuthorizationPolicy)); // no ASP.NET policy: keys are Vigil's
        Assert.All(routes.Keys.Where(id => id != "datasets"), id => Assert.True((routes[id].Config.Order ?? 0) < routes["datasets"].Config.Order, id));
        Assert.Equal(TimeSpan.FromMinutes(30), routes["batches"].Config.Timeout);
        Assert.Equal(-1, routes["batches"].Config.MaxRequestBodySize); // Ingest enforces its own batch limit with a problem+json 413
        Assert.Equal(GatewayRouteFilter.DefaultRouteTimeout, routes["runs"].Config.Timeout);
    }

    [Fact]
    public async Task Clusters_get_round_robin_and_connection_failure_health_unless_they_say_otherwise()
    {
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", "http://lineage")
            .Cluster("scoring", "http://scoring")
            .Set("ReverseProxy:Clusters:scoring:LoadBalancingPolicy", "PowerOfTwoChoices")
            .Set("ReverseProxy:Clusters:scoring:HealthCheck:Passive:ReactivationPeriod", "00:00:05")
            .Values);
        var clusters = gateway.App.Services.GetRequiredService<IProxyStateLookup>().GetClusters().ToDictionary(c => c.ClusterId);

        var lineage = clusters["lineage"].Model.Config;
        Assert.Equal("RoundRobin", lineage.LoadBalancingPolicy);
        Assert.Equal(ConnectionFailureHealthPolicy.PolicyName, lineage.HealthCheck!.Passive!.Policy);
        Assert.Equal(GatewayRouteFilter.DefaultReactivationPeriod, lineage.HealthCheck.Passive.ReactivationPeriod);
        Assert.Equal("PowerOfTwoChoices", clusters["scoring"].Model.Config.LoadBalancingPolicy);
        Assert.Equal(TimeSpan.FromSeconds(5), clusters["scoring"].Model.Config.HealthCheck!.Passive!.ReactivationPeriod);
    }

    [Fact]
    public async Task Service_discovery_entries_become_destinations_and_a_literal_address_stays_as_it_is()
    {
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", "http://lineage")
            .Set("services:lineage:http:0", "http://127.0.0.1:5101")
            .Set("services:lineage:http:1", "http://127.0.0.1:5102")
            .Cluster("scoring", "http://127.0.0.1:5201")
            .Values);
        var clusters = gateway.App.Services.GetRequiredService<IProxyStateLookup>().GetClusters().ToDictionary(c => c.ClusterId);

        string[] Addresses(string id) => [.. clusters[id].DestinationsState.AllDestinations.Select(d => d.Model.Config.Address).Order()];
        Assert.Equal(["http://127.0.0.1:5101/", "http://127.0.0.1:5102/"], Addresses("lineage"));
        Assert.Equal(["http://127.0.0.1:5201/"], Addresses("scoring"));
    }

    [Fact]
    public async Task Route_naming_an_unknown_cluster_fails_the_start_naming_route_and_cluster()
    {
        var error = await StartFailureAsync(new ProxyConfig().Route("runs", "lineage", "/api/runs/{**rest}").Cluster("ingest", "http://ingest"));

        Assert.Contains("Route 'runs' refers to cluster 'lineage'", error);
    }

    [Fact]
    public async Task Unknown_authorization_policy_on_a_route_fails_the_start()
    {
        var error = await StartFailureAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}").Cluster("lineage", "http://lineage")
            .Set("ReverseProxy:Routes:runs:AuthorizationPolicy", "superuser"));

        Assert.Contains("AuthorizationPolicy 'superuser'", error);
    }

    [Fact]
    public async Task Cluster_without_destinations_fails_the_start()
    {
        var error = await StartFailureAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Set("ReverseProxy:Clusters:lineage:LoadBalancingPolicy", "RoundRobin"));

        Assert.Contains("Cluster 'lineage' has no destinations", error);
    }

    [Theory]
    [InlineData("ReverseProxy:Routes:runs:Match:Path", "/api/runs/{id")]
    [InlineData("ReverseProxy:Routes:runs:Timeout", "00:00:00")]
    public async Task Invalid_path_or_timeout_fails_the_start_naming_the_route(string key, string value)
    {
        var error = await StartFailureAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}").Cluster("lineage", "http://lineage")
            .Set(key, value));

        Assert.Contains("'runs'", error);
    }

    /// <summary>Builds the gateway and maps it, which loads the proxy configuration; returns every message of the failure.</summary>
    private static async Task<string> StartFailureAsync(ProxyConfig config)
    {
        var builder = TestServers.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(config.Values);
        builder.AddGatewayServices();
        await using var app = builder.Build();

        var error = Assert.ThrowsAny<Exception>(() => app.MapGateway());

        return string.Join(" | ", Flatten(error).Select(e => e.Message));
    }

    private static IEnumerable<Exception> Flatten(Exception error) =>
        error is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Flatten).Prepend(error)
            : error.InnerException is { } inner ? Flatten(inner).Prepend(error) : [error];
}
