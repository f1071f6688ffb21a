using System.Diagnostics;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

/// <summary>
/// The CPU ONNX Runtime library the tests run against: VIGIL_ONNXRUNTIME_LIBRARY, else the repository's cache, fetched
/// once with scripts/fetch-onnxruntime when missing. Tests fail (not skip) when it cannot be had: CI provisions it.
/// </summary>
internal static class NativeOnnxRuntime
{
    private static readonly Lazy<string> LibraryPath = new(Locate);
    private static readonly Lazy<OnnxRuntimeLibrary> SharedLibrary = new(() => OnnxRuntimeLibrary.Load(Path));
    private static readonly Lazy<OnnxRuntimeHost> SharedCpuHost = new(() =>
    {
        var host = new OnnxRuntimeHost(Path, DeviceRequest.Cpu);
        return host.IsAvailable ? host : throw new InvalidOperationException(host.FailureReason);
    });

    public static string Path => LibraryPath.Value;

    public static OnnxRuntimeLibrary Library => SharedLibrary.Value;

    public static OnnxRuntimeHost CpuHost => SharedCpuHost.Value;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Aspire.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("VIGIL_ONNXRUNTIME_LIBRARY");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var root = RepositoryRoot();
        var cached = System.IO.Path.Combine(root, ".vigil", "cache", "onnxruntime", "1.30.0", "libonnxruntime.so.1");
        if (File.Exists(cached)) return cached;

        var script = System.IO.Path.Combine(root, "scripts", "fetch-onnxruntime");
        using var fetch = Process.Start(new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {script}.");
        var output = fetch.StandardOutput.ReadToEndAsync();
        var errors = fetch.StandardError.ReadToEndAsync();
        if (!fetch.WaitForExit(TimeSpan.FromMinutes(5))) fetch.Kill(entireProcessTree: true);
        if (fetch.ExitCode != 0 || !File.Exists(cached))
            throw new InvalidOperationException($"The ONNX Runtime library could not be fetched ({script}): {errors.Result}{output.Result}");
        return cached;
    }
}
