using Microsoft.Extensions.Options;
using Vigil.Gateway.Proxy;

namespace Vigil.Gateway.UnitTests;

public sealed class DestinationSelectorTests
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public void Destinations_are_chosen_round_robin()
    {
        var selector = CreateSelector(Cluster("d1", "d2", "d3"));

        var picks = Pick(selector, 6);

        Assert.Equal(["d1", "d2", "d3", "d1", "d2", "d3"], picks);
    }

    [Fact]
    public void Destination_with_a_connection_failure_is_skipped()
    {
        var selector = CreateSelector(Cluster("d1", "d2", "d3"));

        selector.ReportConnectionFailure(Destination("d2"));
        var picks = Pick(selector, 6);

        Assert.DoesNotContain("d2", picks);
        Assert.Equal(3, picks.Count(p => p == "d1"));
        Assert.Equal(3, picks.Count(p => p == "d3"));
    }

    [Fact]
    public void Failed_destination_returns_after_the_default_reactivation_period_of_30_seconds()
    {
        var selector = CreateSelector(Cluster("d1", "d2"));
        selector.ReportConnectionFailure(Destination("d1"));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.DoesNotContain("d1", Pick(selector, 4));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("d1", Pick(selector, 4));
    }

    [Fact]
    public void Reactivation_period_is_configurable_per_cluster()
    {
        var cluster = Cluster("d1", "d2") with
        {
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { ReactivationPeriod = TimeSpan.FromSeconds(5) } },
        };
        var selector = CreateSelector(cluster);
        selector.ReportConnectionFailure(Destination("d1"));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Contains("d1", Pick(selector, 4));
        Assert.Equal(TimeSpan.FromSeconds(5), selector.ReactivationPeriod("c"));
    }

    [Fact]
    public void When_every_destination_is_failing_all_are_still_tried_round_robin()
    {
        var selector = CreateSelector(Cluster("d1", "d2"));
        selector.ReportConnectionFailure(Destination("d1"));
        selector.ReportConnectionFailure(Destination("d2"));

        var picks = Pick(selector, 4);

        Assert.Equal(2, picks.Count(p => p == "d1"));
        Assert.Equal(2, picks.Count(p => p == "d2"));
    }

    [Fact]
    public void A_successful_answer_makes_a_failed_destination_eligible_again()
    {
        var selector = CreateSelector(Cluster("d1", "d2"));
        selector.ReportConnectionFailure(Destination("d1"));

        selector.ReportSuccess(Destination("d1"));

        Assert.Contains("d1", Pick(selector, 2));
    }

    [Fact]
    public void Disabled_passive_health_never_skips_a_destination()
    {
        var cluster = Cluster("d1", "d2") with
        {
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { Enabled = false } },
        };
        var selector = CreateSelector(cluster);

        selector.ReportConnectionFailure(Destination("d1"));

        Assert.Equal(["d1", "d2"], Pick(selector, 2));
        Assert.Null(selector.ReactivationPeriod("c"));
    }

    [Fact]
    public void Selected_destination_carries_its_configured_address()
    {
        var selector = CreateSelector(Cluster("d1"));

        Assert.Equal(new SelectedDestination("c", "d1", "http://d1"), selector.Select("c"));
    }

    private static ClusterConfig Cluster(params string[] ids)
    {
        var cluster = new ClusterConfig();
        foreach (var id in ids)
        {
            cluster.Destinations[id] = new DestinationConfig { Address = $"http://{id}" };
        }

        return cluster;
    }

    private static SelectedDestination Destination(string id) => new("c", id, $"http://{id}");

    private DestinationSelector CreateSelector(ClusterConfig cluster)
    {
        var options = new GatewayOptions();
        options.Clusters["c"] = cluster;
        return new DestinationSelector(Options.Create(options), time);
    }

    private static string[] Pick(DestinationSelector selector, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => selector.Select("c").DestinationId)];

    private sealed class ManualTimeProvider : TimeProvider
    {
        private DateTimeOffset now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
