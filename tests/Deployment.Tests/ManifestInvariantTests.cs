using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>What must hold in both rendered overlays for every workload.</summary>
public sealed class ManifestInvariantTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_service_project_has_a_deployment_and_a_service_of_the_same_name(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.Equal(
            Repository.ServiceProjects.Select(p => p.Name).Order(),
            manifests.VigilServices.Select(w => w.Name).Order());
        foreach (var workload in manifests.VigilServices)
        {
            var service = manifests.Get("Service", workload.Name);
            Assert.True(Manifests.Matches(service.Obj("spec", "selector"), workload.PodLabels), $"Service/{workload.Name} does not select its pods.");
            Assert.Equal($"vigil/{workload.Name}", workload.App.Str("image")!.Split(':')[0]);
        }
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_vigil_deployment_probes_alive_for_liveness_and_health_for_readiness(string overlay)
    {
        Assert.All(Kustomize.Overlay(overlay).VigilServices, workload =>
        {
            var app = workload.App;
            Assert.Equal("8080", app.Arr("ports").OfType<JsonObject>().Single(p => p.Str("name") == "http").Str("containerPort"));
            Assert.Equal("/alive", app.Str("livenessProbe", "httpGet", "path"));
            Assert.Equal("/alive", app.Str("startupProbe", "httpGet", "path"));
            Assert.Equal("/health", app.Str("readinessProbe", "httpGet", "path"));
            Assert.All(new[] { "livenessProbe", "startupProbe", "readinessProbe" },
                probe => Assert.Equal("http", app.Str(probe, "httpGet", "port")));
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_workload_has_liveness_and_readiness_probes(string overlay)
    {
        Assert.All(Kustomize.Overlay(overlay).Workloads.SelectMany(w => w.Containers.Select(c => (w, c))), pair =>
        {
            Assert.True(pair.c.Obj("livenessProbe").Count > 0, $"{pair.w} has no liveness probe.");
            Assert.True(pair.c.Obj("readinessProbe").Count > 0, $"{pair.w} has no readiness probe.");
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_container_requests_cpu_and_memory_within_its_limits(string overlay)
    {
        Assert.All(Kustomize.Overlay(overlay).Workloads.SelectMany(w => w.Containers.Select(c => (w, c))), pair =>
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = pair.c.Str("resources", "requests", resource);
                var limit = pair.c.Str("resources", "limits", resource);
                Assert.True(request is not null && limit is not null, $"{pair.w} lacks a {resource} request or limit.");
                Assert.True(Quantity.Parse(request) <= Quantity.Parse(limit), $"{pair.w} requests more {resource} ({request}) than its limit ({limit}).");
            }
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_pod_meets_the_restricted_pod_security_standard(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.Equal("restricted", manifests.Get("Namespace", "vigil").Str("metadata", "labels", "pod-security.kubernetes.io/enforce"));
        Assert.All(manifests.Workloads, workload =>
        {
            var pod = workload.PodSpec;
            Assert.Null(pod.Str("hostNetwork"));
            Assert.Null(pod.Str("hostPID"));
            Assert.DoesNotContain(pod.Arr("volumes").OfType<JsonObject>(), v => v.ContainsKey("hostPath"));
            Assert.Equal("false", pod.Str("automountServiceAccountToken"));
            foreach (var container in workload.Containers)
            {
                string? Setting(params string[] path) => container.Str(["securityContext", .. path]) ?? pod.Str(["securityContext", .. path]);
                Assert.Equal("true", Setting("runAsNonRoot"));
                Assert.NotEqual("0", Setting("runAsUser"));
                Assert.Equal("RuntimeDefault", Setting("seccompProfile", "type"));
                Assert.Equal("false", container.Str("securityContext", "allowPrivilegeEscalation"));
                Assert.Equal(["ALL"], container.Arr("securityContext", "capabilities", "drop").Select(c => c!.ToString()));
                Assert.Null(container.Str("securityContext", "privileged"));
            }
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Vigil_containers_have_a_read_only_root_filesystem_and_write_only_to_mounted_volumes(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.All(manifests.VigilServices, workload =>
        {
            var app = workload.App;
            Assert.Equal("true", app.Str("securityContext", "readOnlyRootFilesystem"));
            var emptyDirs = workload.PodSpec.Arr("volumes").OfType<JsonObject>().Where(v => v.ContainsKey("emptyDir")).Select(v => v.Str("name")).ToHashSet();
            var mounts = app.Arr("volumeMounts").OfType<JsonObject>()
                .Where(m => emptyDirs.Contains(m.Str("name")) && m.Str("readOnly") != "true")
                .Select(m => m.Str("mountPath")!).ToHashSet();
            // Every folder the service is told to write to (temp files, Ingest's upload spool) is a writable emptyDir.
            var environment = manifests.Environment(app);
            var writable = environment.Where(e => e.Key is "TMPDIR" || e.Key.EndsWith("Directory", StringComparison.Ordinal)).ToList();
            Assert.Contains(writable, e => e.Key == "TMPDIR");
            Assert.All(writable, e => Assert.Contains(e.Value.Value!, mounts));
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_vigil_deployment_has_a_disruption_budget_that_still_lets_nodes_drain(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var budgets = manifests.OfKind("PodDisruptionBudget").ToList();
        Assert.All(manifests.VigilServices, workload =>
        {
            var budget = Assert.Single(budgets, b => Manifests.Matches(b.Obj("spec", "selector"), workload.PodLabels));
            var replicas = int.Parse(workload.Resource.Str("spec", "replicas") ?? "1");
            var allowed = budget.Str("spec", "maxUnavailable") is { } maxUnavailable
                ? int.Parse(maxUnavailable)
                : replicas - int.Parse(budget.Str("spec", "minAvailable")!);
            Assert.True(allowed >= 1, $"The budget of {workload} allows no voluntary disruption: a node drain would hang.");
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Services_select_pods_and_target_ports_those_pods_declare(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.All(manifests.OfKind("Service"), service =>
        {
            var name = service.Str("metadata", "name");
            var workload = Assert.Single(manifests.Selected(service.Obj("spec", "selector")));
            var declared = workload.Containers.SelectMany(c => c.Arr("ports").OfType<JsonObject>())
                .SelectMany(p => new[] { p.Str("name"), p.Str("containerPort") }).ToHashSet();
            Assert.All(service.Arr("spec", "ports").OfType<JsonObject>(),
                port => Assert.True(declared.Contains(port.Str("targetPort")), $"Service/{name} targets port {port.Str("targetPort")}, which {workload} does not declare."));
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Images_are_pinned_to_a_version_tag(string overlay)
    {
        Assert.All(Kustomize.Overlay(overlay).Workloads.SelectMany(w => w.Containers), container =>
        {
            var image = container.Str("image")!;
            var tag = image.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : null;
            Assert.False(tag is null or "latest" || tag.Contains('/'), $"{image} is not pinned to a tag.");
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Everything_lands_in_the_vigil_namespace(string overlay) =>
        Assert.All(Kustomize.Overlay(overlay).Documents.Where(d => d.Str("kind") != "Namespace"),
            document => Assert.Equal("vigil", document.Str("metadata", "namespace")));

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void The_self_contained_install_runs_postgres_redis_rabbitmq_and_minio_with_persistent_volumes(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        foreach (var name in new[] { "postgres", "redis", "rabbitmq", "minio" })
        {
            var workload = manifests.Workload(name);
            Assert.Equal("StatefulSet", workload.Kind);
            var claim = Assert.Single(workload.Resource.Arr("spec", "volumeClaimTemplates").OfType<JsonObject>());
            Assert.Contains(workload.Containers.SelectMany(c => c.Arr("volumeMounts").OfType<JsonObject>()),
                mount => mount.Str("name") == claim.Str("metadata", "name"));
        }
    }
}
