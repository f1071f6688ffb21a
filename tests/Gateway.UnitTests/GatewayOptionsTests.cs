using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Gateway.Extensions;
using Vigil.Gateway.Proxy;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

public sealed class GatewayOptionsTests
{
    private const string YarpShapedJson = """
        {
          "ReverseProxy": {
            "Routes": {
              "batches": { "ClusterId": "ingest", "Match": { "Path": "/api/datasets/{name}/batches/{**rest}", "Methods": [ "POST" ] }, "Timeout": "00:05:00", "MaxRequestBodySize": -1 },
              "runs": { "ClusterId": "lineage", "Match": { "Path": "/api/runs/{**rest}" }, "Order": 7 }
            },
            "Clusters": {
              "ingest": { "Destinations": { "d1": { "Address": "http://ingest" }, "d2": { "Address": "http://ingest-2" } },
                          "HealthCheck": { "Passive": { "ReactivationPeriod": "00:00:10" } } },
              "lineage": { "Destinations": { "d1": { "Address": "http://lineage" } } }
            }
          }
        }
        """;

    [Fact]
    public void Yarp_shaped_configuration_binds_routes_clusters_and_their_settings()
    {
        var options = Bind(YarpShapedJson);

        var batches = options.Routes["batches"];
        Assert.Equal("ingest", batches.ClusterId);
        Assert.Equal("/api/datasets/{name}/batches/{**rest}", batches.Match.Path);
        Assert.Equal(["POST"], batches.Match.Methods);
        Assert.Equal(TimeSpan.FromMinutes(5), batches.Timeout);
        Assert.Equal(-1, batches.MaxRequestBodySize);
        Assert.Equal(7, options.Routes["runs"].Order);
        Assert.Null(options.Routes["runs"].Timeout);
        Assert.Equal("http://ingest-2", options.Clusters["ingest"].Destinations["d2"].Address);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Clusters["ingest"].HealthCheck.Passive.ReactivationPeriod);
        Assert.True(options.Clusters["lineage"].HealthCheck.Passive.Enabled);
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Shipped_configuration_is_valid_and_gives_batches_priority_over_datasets()
    {
        var options = Bind(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "shipped", "gateway.appsettings.json")));

        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["alerts", "anomalies", "batches", "datasets", "event-anomalies", "events", "history", "lineage", "models", "pulls", "reconciliations", "runs", "scores", "system"], options.Routes.Keys.Order());
        Assert.True((options.Routes["events"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["event-anomalies"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["models"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["history"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["pulls"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["reconciliations"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.True((options.Routes["batches"].Order ?? 0) < (options.Routes["datasets"].Order ?? 0));
        Assert.Equal(TimeSpan.FromMinutes(30), options.Routes["batches"].Timeout);
        Assert.Equal(-1, options.Routes["batches"].MaxRequestBodySize); // Ingest enforces its own batch limit with a problem+json 413
    }

    [Fact]
    public void Shipped_routes_each_name_a_scope_and_intake_routes_need_ingest()
    {
        var options = Bind(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "shipped", "gateway.appsettings.json")));

        Assert.All(options.Routes, route => Assert.True(Access.ApiKeyScopes.IsKnown(route.Value.AuthorizationPolicy), route.Key));
        Assert.All(new[] { "batches", "reconciliations", "pulls" }, id => Assert.Equal(Access.ApiKeyScopes.Ingest, options.Routes[id].AuthorizationPolicy));
        Assert.All(new[] { "datasets", "models", "alerts" }, id => Assert.Equal(Access.ApiKeyScopes.Admin, options.Routes[id].AuthorizationPolicy));
    }

    [Fact]
    public void Route_naming_an_unknown_cluster_fails_validation_with_the_route_and_cluster_named()
    {
        var options = Valid();
        options.Routes["runs"] = options.Routes["runs"] with { ClusterId = "lineage-typo" };

        var failure = Assert.Single(Validate(options));

        Assert.Contains("Route 'runs'", failure);
        Assert.Contains("'lineage-typo'", failure);
    }

    [Fact]
    public void Cluster_without_destinations_fails_validation()
    {
        var options = Valid();
        options.Clusters["lineage"].Destinations.Clear();

        var failure = Assert.Single(Validate(options));

        Assert.Contains("Cluster 'lineage' has no destinations", failure);
    }

    [Fact]
    public void Invalid_route_pattern_fails_validation()
    {
        var options = Valid();
        options.Routes["runs"] = options.Routes["runs"] with { Match = new RouteMatch { Path = "/api/runs/{id" } };

        var failure = Assert.Single(Validate(options));

        Assert.Contains("invalid Match:Path '/api/runs/{id'", failure);
    }

    [Fact]
    public void Route_without_path_or_cluster_fails_validation_once_per_problem()
    {
        var options = Valid();
        options.Routes["runs"] = new RouteConfig();

        var failures = Validate(options);

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("has no ClusterId"));
        Assert.Contains(failures, f => f.Contains("has no Match:Path"));
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("tcp://ingest")]
    [InlineData("")]
    public void Destination_address_that_is_not_absolute_http_fails_validation(string address)
    {
        var options = Valid();
        options.Clusters["lineage"].Destinations["d1"] = new DestinationConfig { Address = address };

        var failure = Assert.Single(Validate(options));

        Assert.Contains("destination 'd1'", failure);
    }

    [Fact]
    public void Non_positive_timeout_and_reactivation_period_fail_validation()
    {
        var options = Valid();
        options.Routes["runs"] = options.Routes["runs"] with { Timeout = TimeSpan.Zero };
        options.Clusters["lineage"] = options.Clusters["lineage"] with
        {
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { ReactivationPeriod = TimeSpan.FromSeconds(-1) } },
        };

        Assert.Equal(2, Validate(options).Count);
    }

    [Fact]
    public void No_routes_at_all_fails_validation()
    {
        var failure = Assert.Single(Validate(new GatewayOptions()));

        Assert.Contains("Routes is empty", failure);
    }

    [Fact]
    public async Task Gateway_fails_at_start_with_a_clear_message_when_a_route_names_an_unknown_cluster()
    {
        var builder = TestServers.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("ingest", "http://ingest")
            .Values);
        builder.AddGatewayServices();
        await using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.MapGateway());

        Assert.Contains("Route 'runs' refers to cluster 'lineage'", error.Message);
    }

    private static GatewayOptions Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GatewayOptions>>().Value;
    }

    private static GatewayOptions Valid()
    {
        var options = Bind(YarpShapedJson);
        Assert.Empty(Validate(options));
        return options;
    }

    private static IReadOnlyList<string> Validate(GatewayOptions options) =>
        new GatewayOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
}
