using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>overlays/gpu puts Scoring, and only Scoring, on a GPU node with the NVIDIA runtime; overlays/cpu asks for no GPU.</summary>
public sealed class GpuSchedulingTests
{
    private const string Gpu = "nvidia.com/gpu";

    [Fact]
    public void Scoring_in_the_gpu_overlay_requests_one_gpu_on_a_gpu_node_with_the_nvidia_runtime()
    {
        var manifests = Kustomize.Overlay("gpu");
        var scoring = manifests.Workload("scoring");
        var pod = scoring.PodSpec;

        Assert.Equal("1", scoring.App.Str("resources", "limits", Gpu));
        Assert.Equal("1", scoring.App.Str("resources", "requests", Gpu) ?? "1"); // extended resources: request = limit
        Assert.Equal("nvidia", pod.Str("runtimeClassName"));
        var onGpuNode = pod.Str("nodeSelector", "nvidia.com/gpu.present") == "true"
            || pod.Arr("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
                .OfType<JsonObject>().SelectMany(t => t.Arr("matchExpressions").OfType<JsonObject>())
                .Any(e => e.Str("key")!.StartsWith("nvidia.com/gpu", StringComparison.Ordinal));
        Assert.True(onGpuNode, "Scoring has neither a nodeSelector nor a required node affinity for GPU nodes.");
        Assert.Contains(pod.Arr("tolerations").OfType<JsonObject>(), t =>
            t.Str("key") == Gpu && t.Str("operator") == "Exists" && t.Str("effect") is "NoSchedule" or null);
        Assert.Equal("cuda", manifests.Environment(scoring.App)["Scoring__Device"].Value);
        Assert.EndsWith("-gpu", scoring.App.Str("image"));
    }

    [Fact]
    public void Scoring_in_the_gpu_overlay_rolls_out_without_needing_a_spare_gpu()
    {
        var strategy = Kustomize.Overlay("gpu").Workload("scoring").Resource.Obj("spec", "strategy");
        Assert.Equal("0", strategy.Str("rollingUpdate", "maxSurge"));
        Assert.Equal("1", strategy.Str("rollingUpdate", "maxUnavailable"));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Nothing_but_scoring_in_the_gpu_overlay_asks_for_a_gpu(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var withGpu = manifests.Workloads
            .Where(w => w.Containers.Any(c => c.Str("resources", "limits", Gpu) is not null || c.Str("resources", "requests", Gpu) is not null)
                || w.PodSpec.Str("runtimeClassName") is not null
                || w.Containers.Any(c => c.Str("image")!.EndsWith("-gpu", StringComparison.Ordinal)))
            .Select(w => w.Name);
        Assert.Equal(overlay == "gpu" ? ["scoring"] : [], withGpu);
    }

    [Fact]
    public void Scoring_in_the_cpu_overlay_is_told_to_use_the_cpu()
    {
        var manifests = Kustomize.Overlay("cpu");
        Assert.Equal("cpu", manifests.Environment(manifests.Workload("scoring").App)["Scoring__Device"].Value);
    }
}
