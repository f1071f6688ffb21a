using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>Only the gateway is reachable from outside the namespace; everything else is internal.</summary>
public sealed class NetworkExposureTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Only_the_gateway_is_exposed_through_the_ingress_and_no_service_opens_a_node_port(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.All(manifests.OfKind("Service"), service =>
        {
            Assert.Equal("ClusterIP", service.Str("spec", "type") ?? "ClusterIP");
            Assert.Empty(service.Arr("spec", "externalIPs"));
        });
        var ingress = Assert.Single(manifests.OfKind("Ingress"));
        var backends = ingress.Arr("spec", "rules").OfType<JsonObject>()
            .SelectMany(rule => rule.Arr("http", "paths").OfType<JsonObject>())
            .Select(path => path.Str("backend", "service", "name"))
            .Append(ingress.Str("spec", "defaultBackend", "service", "name"))
            .OfType<string>().ToList();
        Assert.Equal(["gateway"], backends.Distinct());
        Assert.Equal("http", ingress.Arr("spec", "rules").OfType<JsonObject>().Single().Arr("http", "paths").OfType<JsonObject>().Single().Str("backend", "service", "port", "name"));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Network_policies_deny_ingress_by_default(string overlay)
    {
        var policies = Kustomize.Overlay(overlay).OfKind("NetworkPolicy").ToList();
        Assert.Contains(policies, policy =>
            policy.Obj("spec", "podSelector").Count == 0
            && policy.Arr("spec", "policyTypes").Any(t => t?.ToString() == "Ingress")
            && policy.Arr("spec", "ingress").Count == 0);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Network_policies_admit_traffic_from_outside_the_namespace_only_to_the_gateway_port(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var admissions = ExternalAdmissions(manifests).ToList();

        // The gateway must be reachable by the ingress controller, wherever it runs.
        Assert.Contains(admissions, a => a.Workload.Name == "gateway" && a.Ports.SequenceEqual(["8080"]));
        Assert.All(admissions, admission =>
        {
            if (admission.Workload.Name == "gateway")
            {
                Assert.Equal(["8080"], admission.Ports);
                return;
            }
            // The one exception: KEDA's operator reading RabbitMQ's management API for queue depth (overlays/gpu).
            Assert.True(
                admission.Workload.Name == "rabbitmq"
                && admission.Ports.SequenceEqual(["15672"])
                && admission.Peers.Count == 1
                && admission.Peers[0].Str("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "keda"
                && admission.Peers[0].Str("podSelector", "matchLabels", "app") == "keda-operator",
                $"{admission.Workload} admits traffic from outside the namespace on ports [{string.Join(", ", admission.Ports)}].");
        });
    }

    [Fact]
    public void Only_the_keda_overlay_opens_rabbitmq_to_the_keda_operator()
    {
        Assert.DoesNotContain(ExternalAdmissions(Kustomize.Overlay("cpu")), a => a.Workload.Name == "rabbitmq");
        Assert.Contains(ExternalAdmissions(Kustomize.Overlay("gpu")), a => a.Workload.Name == "rabbitmq");
    }

    private sealed record Admission(Workload Workload, IReadOnlyList<string> Ports, IReadOnlyList<JsonObject> Peers);

    /// <summary>
    /// Every (workload, ingress rule) where a rule admits traffic that may come from another namespace or outside the
    /// cluster: a rule without <c>from</c>, or a peer with a namespaceSelector or an ipBlock.
    /// </summary>
    private static IEnumerable<Admission> ExternalAdmissions(Manifests manifests)
    {
        foreach (var policy in manifests.OfKind("NetworkPolicy"))
        {
            foreach (var rule in policy.Arr("spec", "ingress").OfType<JsonObject>())
            {
                var peers = rule.Arr("from").OfType<JsonObject>().ToList();
                var external = peers.Count == 0 || peers.Any(p => p.ContainsKey("namespaceSelector") || p.ContainsKey("ipBlock"));
                if (!external) continue;
                var ports = rule.Arr("ports").OfType<JsonObject>().Select(p => p.Str("port")!).ToList();
                foreach (var workload in manifests.Selected(policy.Obj("spec", "podSelector")))
                    yield return new Admission(workload, ports.Count == 0 ? ["*"] : ports, peers);
            }
        }
    }
}
