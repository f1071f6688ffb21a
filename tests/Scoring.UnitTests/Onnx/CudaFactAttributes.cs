using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

/// <summary>Whether the CUDA execution provider starts here (a GPU build of ONNX Runtime and a GPU), and if not, why.</summary>
internal static class CudaAvailability
{
    private static readonly Lazy<string?> Problem = new(() =>
    {
        using var host = new OnnxRuntimeHost(NativeOnnxRuntime.Path, DeviceRequest.Cuda);
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
            Skip = $"No CUDA-capable GPU and GPU build of ONNX Runtime here: {reason}";
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
