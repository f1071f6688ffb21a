using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>
/// Validation and Scoring scale out on the RabbitMQ queues their consumers read (KEDA, overlays/gpu) or on CPU
/// (plain HPA, overlays/cpu). Replicas of one service compete on its queue, so adding replicas shares the backlog.
/// </summary>
public sealed class AutoscalingTests
{
    private static readonly string[] ScaledServices = ["scoring", "validation"];

    [Fact]
    public void Gpu_overlay_scales_validation_and_scoring_on_the_depth_of_the_queues_their_consumers_read()
    {
        var manifests = Kustomize.Overlay("gpu");
        var queues = ConfigurationReadByCode.ScanRepository().QueuesByService;
        var scaled = manifests.OfKind("ScaledObject").ToList();

        Assert.Equal(ScaledServices, scaled.Select(s => s.Str("spec", "scaleTargetRef", "name")).Order());
        foreach (var scaledObject in scaled)
        {
            var target = scaledObject.Str("spec", "scaleTargetRef", "name")!;
            Assert.Equal("Deployment", manifests.Workload(target).Kind);
            var triggers = scaledObject.Arr("spec", "triggers").OfType<JsonObject>().ToList();
            Assert.All(triggers, t => Assert.Equal("rabbitmq", t.Str("type")));
            Assert.NotEmpty(queues[target]);
            // Exactly the queues the service's consumers listen on, as MassTransit names them (validation-batch-ingested, ...).
            Assert.Equal(queues[target], triggers.Select(t => t.Str("metadata", "queueName")!).Order());
            Assert.All(triggers, trigger =>
            {
                Assert.Equal("QueueLength", trigger.Str("metadata", "mode"));
                Assert.True(int.Parse(trigger.Str("metadata", "value")!) > 0);
                // The management API counts unacknowledged (prefetched) messages too; plain AMQP would see only ready ones.
                Assert.Equal("http", trigger.Str("metadata", "protocol"));
                Assert.Equal("/", trigger.Str("metadata", "vhostName"));
            });
            Assert.True(int.Parse(scaledObject.Str("spec", "minReplicaCount")!) >= 1);
            Assert.True(int.Parse(scaledObject.Str("spec", "maxReplicaCount")!) > int.Parse(scaledObject.Str("spec", "minReplicaCount")!));
        }
    }

    [Fact]
    public void Keda_reaches_the_rabbitmq_management_api_by_its_cluster_wide_name_with_credentials_from_a_secret()
    {
        var manifests = Kustomize.Overlay("gpu");
        var references = manifests.OfKind("ScaledObject")
            .SelectMany(s => s.Arr("spec", "triggers").OfType<JsonObject>())
            .Select(t => t.Str("authenticationRef", "name")).Distinct().ToList();
        var name = Assert.Single(references);
        var authentication = manifests.Get("TriggerAuthentication", name!);
        var target = Assert.Single(authentication.Arr("spec", "secretTargetRef").OfType<JsonObject>());
        Assert.Equal("host", target.Str("parameter"));

        var host = new Uri(manifests.SecretData(target.Str("name")!)?.GetValueOrDefault(target.Str("key")!)
            ?? throw new Xunit.Sdk.XunitException($"Secret {target.Str("name")} with key {target.Str("key")} is not rendered."));
        // KEDA's operator runs in its own namespace: a short Service name would not resolve there.
        Assert.Equal("rabbitmq.vigil.svc.cluster.local", host.Host);
        Assert.Equal("http", host.Scheme);
        var service = manifests.Get("Service", "rabbitmq");
        Assert.Contains(service.Arr("spec", "ports").OfType<JsonObject>(), p => p.Str("port") == host.Port.ToString() && p.Str("name") == "management");
    }

    [Fact]
    public void Cpu_overlay_scales_validation_and_scoring_on_cpu_without_keda()
    {
        var manifests = Kustomize.Overlay("cpu");
        Assert.DoesNotContain(manifests.Documents, d => d.Str("apiVersion")!.StartsWith("keda.sh/", StringComparison.Ordinal));
        var autoscalers = manifests.OfKind("HorizontalPodAutoscaler").ToList();
        Assert.Equal(ScaledServices, autoscalers.Select(h => h.Str("spec", "scaleTargetRef", "name")).Order());
        Assert.All(autoscalers, autoscaler =>
        {
            Assert.Equal("autoscaling/v2", autoscaler.Str("apiVersion"));
            Assert.Equal("Deployment", autoscaler.Str("spec", "scaleTargetRef", "kind"));
            var metric = Assert.Single(autoscaler.Arr("spec", "metrics").OfType<JsonObject>());
            Assert.Equal("cpu", metric.Str("resource", "name"));
            Assert.True(int.Parse(autoscaler.Str("spec", "minReplicas")!) >= 1);
            Assert.True(int.Parse(autoscaler.Str("spec", "maxReplicas")!) > int.Parse(autoscaler.Str("spec", "minReplicas")!));
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void No_deployment_is_scaled_by_two_autoscalers(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var targets = manifests.OfKind("ScaledObject").Concat(manifests.OfKind("HorizontalPodAutoscaler"))
            .Select(s => s.Str("spec", "scaleTargetRef", "name")).ToList();
        Assert.Equal(targets.Distinct().Count(), targets.Count);
        // CPU-based scaling needs CPU requests to compute utilization against.
        Assert.All(targets, target => Assert.NotNull(manifests.Workload(target!).App.Str("resources", "requests", "cpu")));
    }
}
