using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>
/// The web dashboard is reached only through the gateway, at the path it serves, and reaches only the gateway (plus its
/// telemetry and DNS); its cookie key ring is never split between replicas.
/// </summary>
public sealed class DashboardDeploymentTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void The_gateway_routes_the_dashboards_path_to_the_dashboard_service(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var gateway = manifests.Environment(manifests.Workload("gateway").App);
        var route = RouteSettings(gateway, "dashboard");

        // The pattern the AppHost uses locally, under the path base the dashboard serves its pages at.
        Assert.Equal(AppHostPathPattern(), route["Match__Path"]);
        Assert.Equal($"{DashboardPathBase()}/{{**rest}}", route["Match__Path"]);
        Assert.Equal("read", route["AuthorizationPolicy"]);

        var address = new Uri(gateway[$"ReverseProxy__Clusters__{route["ClusterId"]}__Destinations__d1__Address"].Value!);
        var service = manifests.Get("Service", address.Host);
        Assert.Contains(service.Arr("spec", "ports").OfType<JsonObject>(), p => p.Str("port") == address.Port.ToString());
        Assert.Equal("dashboard", Assert.Single(manifests.Selected(service.Obj("spec", "selector"))).Name);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Only_the_gateways_pods_may_reach_the_dashboard(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var policies = PoliciesOf(manifests, "dashboard", "Ingress");
        Assert.NotEmpty(policies);

        var rules = policies.SelectMany(p => p.Arr("spec", "ingress").OfType<JsonObject>()).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            var peers = rule.Arr("from").OfType<JsonObject>().ToList();
            Assert.True(peers.Count > 0, "A rule without `from` admits every pod and every address to the dashboard.");
            Assert.All(peers, peer => Assert.Equal(["gateway"], PeerWorkloads(manifests, peer)));
            Assert.Equal(["8080"], rule.Arr("ports").OfType<JsonObject>().Select(p => p.Str("port")!));
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void The_dashboard_reaches_only_the_gateway_its_telemetry_endpoint_and_dns(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var policies = PoliciesOf(manifests, "dashboard", "Egress");
        Assert.NotEmpty(policies);

        var allowed = new Dictionary<string, string> { ["gateway"] = "8080", ["aspire-dashboard"] = "18889" };
        var rules = policies.SelectMany(p => p.Arr("spec", "egress").OfType<JsonObject>()).ToList();
        Assert.Contains(rules, rule => rule.Arr("to").OfType<JsonObject>().Any(peer => PeerWorkloads(manifests, peer).SequenceEqual(["gateway"])));
        Assert.All(rules, rule =>
        {
            var ports = rule.Arr("ports").OfType<JsonObject>().Select(p => p.Str("port")).ToList();
            Assert.NotEmpty(ports);
            var peers = rule.Arr("to").OfType<JsonObject>().ToList();
            if (peers.Count == 0)
            {
                Assert.All(ports, port => Assert.Equal("53", port)); // DNS, wherever the cluster runs it
                return;
            }
            Assert.All(peers, peer =>
            {
                var workload = Assert.Single(PeerWorkloads(manifests, peer));
                Assert.True(allowed.TryGetValue(workload, out var port), $"The dashboard may reach {workload}.");
                Assert.Equal([port], ports);
            });
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void The_dashboards_key_ring_is_on_a_volume_that_every_replica_shares(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var dashboard = manifests.Workload("dashboard");
        var directory = manifests.Environment(dashboard.App)["Dashboard__KeysDirectory"].Value!;
        var mount = Assert.Single(dashboard.App.Arr("volumeMounts").OfType<JsonObject>(), m => m.Str("mountPath") == directory);
        Assert.NotEqual("true", mount.Str("readOnly"));
        var volume = Assert.Single(dashboard.PodSpec.Arr("volumes").OfType<JsonObject>(), v => v.Str("name") == mount.Str("name"));

        // A pod's own volume holds a ring no other replica reads: cookies from one would not decrypt on another.
        var replicas = int.Parse(dashboard.Resource.Str("spec", "replicas") ?? "1");
        Assert.True(replicas == 1 || volume.ContainsKey("persistentVolumeClaim"),
            $"The dashboard runs {replicas} replicas with its key ring on a per-pod volume.");
        Assert.DoesNotContain(manifests.OfKind("HorizontalPodAutoscaler").Concat(manifests.OfKind("ScaledObject")),
            scaler => scaler.Str("spec", "scaleTargetRef", "name") == "dashboard" && !volume.ContainsKey("persistentVolumeClaim"));
    }

    /// <summary>The route's settings from the gateway's environment (ReverseProxy__Routes__{id}__...), keyed by the rest of the name.</summary>
    private static Dictionary<string, string> RouteSettings(IReadOnlyDictionary<string, EnvSource> environment, string id)
    {
        var prefix = $"ReverseProxy__Routes__{id}__";
        var settings = environment.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[prefix.Length..], e => e.Value.Value!, StringComparer.Ordinal);
        Assert.True(settings.Count > 0, $"The gateway's Deployment configures no route {id}.");
        return settings;
    }

    private static List<JsonObject> PoliciesOf(Manifests manifests, string workload, string policyType) =>
        manifests.OfKind("NetworkPolicy")
            .Where(p => p.Arr("spec", "policyTypes").Any(t => t?.ToString() == policyType))
            .Where(p => manifests.Selected(p.Obj("spec", "podSelector")).Any(w => w.Name == workload))
            .ToList();

    /// <summary>The workloads a policy peer selects; a namespace selector or address block could be anything, so it fails.</summary>
    private static List<string> PeerWorkloads(Manifests manifests, JsonObject peer)
    {
        Assert.False(peer.ContainsKey("namespaceSelector") || peer.ContainsKey("ipBlock"), $"Peer {peer.ToJsonString()} reaches beyond the namespace's pods.");
        return manifests.Selected(peer.Obj("podSelector")).Select(w => w.Name).Order(StringComparer.Ordinal).ToList();
    }

    private static string AppHostPathPattern()
    {
        var source = File.ReadAllText(Repository.PathOf("AppHost/Resources/DashboardRoute.cs"));
        return Regex.Match(source, @"PathPattern\s*=\s*""(?<pattern>[^""]+)""") is { Success: true } match
            ? match.Groups["pattern"].Value
            : throw new Xunit.Sdk.XunitException("DashboardRoute.PathPattern is no longer a string constant.");
    }

    private static string DashboardPathBase()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("dashboard/appsettings.json")));
        return settings.RootElement.GetProperty("Dashboard").GetProperty("PathBase").GetString()!;
    }
}
