using Vigil.Scoring.Models;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Apis;

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/system/devices", Devices).WithTags("System").WithName("ScoringDevices")
            .WithSummary("Where models score: ONNX Runtime's device (with the GPU's name and memory on CUDA) or the managed scorer, and why.");
        return app;
    }

    public sealed record DevicesView(
        string Requested, string Scorer, string Device, string? GpuName, long? GpuMemoryMiB, string? FallbackReason,
        OnnxRuntimeView OnnxRuntime, IReadOnlyList<string> OnnxDetectors, int ProcessorCount);

    public sealed record OnnxRuntimeView(bool Available, string? Version, string Package, IReadOnlyList<string> Providers, string? FailureReason);

    public static DevicesView Devices(ScoringEngines engines, Microsoft.Extensions.Options.IOptions<ScoringOptions> options)
    {
        var host = engines.Host;
        var device = host.Device;
        return new DevicesView(
            options.Value.Device,
            host.IsAvailable ? "onnxruntime" : "managed",
            host.IsAvailable ? device!.Description : engines.ManagedDevice(),
            device?.GpuName,
            device?.GpuMemoryMiB,
            host.IsAvailable ? device!.FallbackReason : host.FailureReason,
            new OnnxRuntimeView(host.IsAvailable, host.Version, host.Package, host.AvailableProviders, host.FailureReason),
            host.IsAvailable ? options.Value.OnnxRuntime.EffectiveDetectors : [],
            Environment.ProcessorCount);
    }
}
