using Microsoft.AspNetCore.Http;
using Vigil.ServiceDefaults.Telemetry;

namespace Vigil.ServiceDefaults.UnitTests.Telemetry;

public sealed class HealthProbeFilterTests
{
    [Theory]
    [InlineData("/health", true)]
    [InlineData("/alive", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/api/health", false)]
    [InlineData("/healthy", false)]
    [InlineData("/api/runs", false)]
    public void Only_the_health_and_liveness_paths_are_left_out_of_traces(string path, bool probe) =>
        Assert.Equal(probe, VigilTelemetry.IsHealthProbe(new PathString(path)));
}
