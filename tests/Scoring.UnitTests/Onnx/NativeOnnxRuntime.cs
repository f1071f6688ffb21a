using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

/// <summary>
/// ONNX Runtime as the tests use it: the native library of the Microsoft.ML.OnnxRuntime package the service is built
/// with (copied beside the test assembly by the build). Tests fail (not skip) when it does not start.
/// </summary>
internal static class NativeOnnxRuntime
{
    /// <summary>The version of the package named in Directory.Packages.props.</summary>
    public const string Version = "1.32.0";

    private static readonly Lazy<OnnxRuntimeHost> SharedCpuHost = new(() =>
    {
        var host = new OnnxRuntimeHost(DeviceRequest.Cpu);
        return host.IsAvailable ? host : throw new InvalidOperationException(host.FailureReason);
    });

    public static OnnxRuntimeHost CpuHost => SharedCpuHost.Value;
}
