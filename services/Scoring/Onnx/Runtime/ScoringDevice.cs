namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>What Scoring:Device asks for.</summary>
public enum DeviceRequest
{
    /// <summary>CUDA when this build has it and a session can start on it; the CPU otherwise, with the reason kept.</summary>
    Auto,
    Cpu,
    /// <summary>CUDA or nothing: the host is unavailable, with the reason, when CUDA cannot be used.</summary>
    Cuda,
}

/// <summary>
/// The device a host scores on: "cpu" or "cuda", a description for the API and every BatchScored ("cuda:0 NVIDIA H100
/// 80GB HBM3, 81559 MiB (ONNX Runtime 1.30.0)"), the GPU's name and memory when on CUDA, and why Auto did not pick CUDA.
/// </summary>
public sealed record ScoringDevice(string Kind, string Description, string? GpuName = null, long? GpuMemoryMiB = null, string? FallbackReason = null)
{
    public const string CpuKind = "cpu";
    public const string CudaKind = "cuda";

    public static DeviceRequest Parse(string? option) => option?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => DeviceRequest.Auto,
        "cpu" => DeviceRequest.Cpu,
        "cuda" or "gpu" => DeviceRequest.Cuda,
        _ => throw new ArgumentException($"Scoring:Device is '{option}'; it must be auto, cpu or cuda.", nameof(option)),
    };
}
