using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

/// <summary>Whether the CUDA execution provider starts here (the GPU build of ONNX Runtime, CUDA 13 and a GPU), and if not, why.</summary>
internal static class CudaAvailability
{
    private static readonly Lazy<string?> Problem = new(() =>
    {
        var host = new OnnxRuntimeHost(DeviceRequest.Cuda);
        return host.IsAvailable ? null : host.FailureReason;
    });

    /// <summary>Null where CUDA works; otherwise the host's reason.</summary>
    public static string? WhyNot => Problem.Value;
}

/// <summary>A test of the CUDA path: runs where a session starts on CUDA, and is skipped, saying why, elsewhere.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (CudaAvailability.WhyNot is { } reason)
            Skip = $"No CUDA-capable GPU and GPU build of ONNX Runtime here (build with -p:OnnxRuntimeBuild=gpu on a CUDA 13 machine): {reason}";
    }
}

/// <summary>A test of what happens without CUDA: skipped where CUDA works.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaAvailability.WhyNot is null) Skip = "CUDA works here; this test covers machines where it does not.";
    }
}

/// <summary>A test of the CPU build (Microsoft.ML.OnnxRuntime): skipped where the service is built with the GPU package.</summary>
public sealed class CpuBuildFactAttribute : FactAttribute
{
    public CpuBuildFactAttribute()
    {
        if (NativeOnnxRuntime.CpuHost.AvailableProviders.Contains(OnnxRuntimeHost.CudaProvider))
            Skip = "This is the GPU build of ONNX Runtime; the test covers the CPU build.";
    }
}

/// <summary>A test of the GPU build (-p:OnnxRuntimeBuild=gpu): skipped, saying so, on the CPU build.</summary>
public sealed class GpuBuildFactAttribute : FactAttribute
{
    public GpuBuildFactAttribute()
    {
        if (!NativeOnnxRuntime.CpuHost.AvailableProviders.Contains(OnnxRuntimeHost.CudaProvider))
            Skip = "This is the CPU build of ONNX Runtime (build with -p:OnnxRuntimeBuild=gpu to run it).";
    }
}
