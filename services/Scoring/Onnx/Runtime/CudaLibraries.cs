using System.Runtime.InteropServices;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// The CUDA 13 libraries the CUDA execution provider of Microsoft.ML.OnnxRuntime.Gpu.Linux 1.32 loads. Looked for before the
/// provider is tried, so a machine without them gets a quiet reason instead of ONNX Runtime's error log at every start.
/// </summary>
public static class CudaLibraries
{
    public static readonly IReadOnlyList<string> Required = ["libcudart.so.13", "libcublas.so.13"];

    /// <summary>The required libraries that do not load here (empty when all do); <paramref name="tryLoad"/> defaults to the loader.</summary>
    public static IReadOnlyList<string> Missing(Func<string, bool>? tryLoad = null)
    {
        tryLoad ??= static name =>
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) return false;
            NativeLibrary.Free(handle);
            return true;
        };
        return [.. Required.Where(name => !tryLoad(name))];
    }
}
