using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Vigil.Scoring.Onnx.Export;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// ONNX Runtime for the scoring service, set up once (a singleton) on the managed API of the package the service was
/// built with (Microsoft.ML.OnnxRuntime, or Microsoft.ML.OnnxRuntime.Gpu.Linux in the GPU image). Settles the device
/// (Scoring:Device auto | cpu | cuda): CUDA is tried only where this build has the CUDA execution provider and the CUDA
/// libraries load, by starting a tiny probe session on it; elsewhere the reason is kept without trying. Never throws
/// from the constructor: when the runtime cannot be used, <see cref="IsAvailable"/> is false and
/// <see cref="FailureReason"/> says why, so the caller can fall back to the managed scorer and say so. The outcome is
/// logged once, at information level: a CPU machine is an ordinary place to score, not an error.
/// </summary>
public sealed class OnnxRuntimeHost
{
    public const string CudaProvider = "CUDAExecutionProvider";

    private OnnxSessionSettings _settings = new();

    public OnnxRuntimeHost(DeviceRequest device, int intraOpThreads = 0, Func<string, bool>? tryLoadLibrary = null, ILogger? log = null)
        : this(device, intraOpThreads, tryLoadLibrary)
    {
        if (log is null) return;
        if (FailureReason is not null)
            log.LogInformation("ONNX Runtime is not used for scoring: {Reason}; the managed scorer runs", FailureReason);
        else if (Device?.FallbackReason is { } why)
            log.LogInformation("Scoring on {Device}: {Reason}", Device.Description, why);
        else
            log.LogInformation("Scoring on {Device}", Device?.Description);
    }

    private OnnxRuntimeHost(DeviceRequest device, int intraOpThreads, Func<string, bool>? tryLoadLibrary)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        Requested = device;
        Package = typeof(OnnxRuntimeHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OnnxRuntimePackage")?.Value ?? "Microsoft.ML.OnnxRuntime";
        try
        {
            var environment = OrtEnv.Instance();
            environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            Version = environment.GetVersionString();
            AvailableProviders = environment.GetAvailableProviders();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException
            or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            FailureReason = $"ONNX Runtime ({Package}) could not start here: {e.GetBaseException().Message}";
            return;
        }
        _settings = new OnnxSessionSettings(intraOpThreads);
        var cpu = new ScoringDevice(ScoringDevice.CpuKind,
            $"cpu (ONNX Runtime {Version}, {(intraOpThreads > 0 ? intraOpThreads : Environment.ProcessorCount)} threads)");
        if (device == DeviceRequest.Cpu)
        {
            Device = cpu;
            return;
        }

        var cudaProblem = TryCuda(intraOpThreads, tryLoadLibrary);
        if (cudaProblem is null) return;
        if (device == DeviceRequest.Cuda)
        {
            FailureReason = $"Scoring:Device is cuda, but {cudaProblem}";
            return;
        }
        Device = cpu with { FallbackReason = cudaProblem };
    }

    public DeviceRequest Requested { get; }

    /// <summary>The NuGet package the service was built with: Microsoft.ML.OnnxRuntime (CPU) or Microsoft.ML.OnnxRuntime.Gpu.Linux.</summary>
    public string Package { get; }

    /// <summary>Whether sessions can be created (the runtime started and the requested device works).</summary>
    public bool IsAvailable => Device is not null && FailureReason is null;

    /// <summary>Why ONNX Runtime cannot be used here (the native library did not start, CUDA requested but unusable); null when it can.</summary>
    public string? FailureReason { get; }

    /// <summary>ONNX Runtime's own version string, when it started.</summary>
    public string? Version { get; }

    /// <summary>Where sessions run; null when unavailable.</summary>
    public ScoringDevice? Device { get; private set; }

    /// <summary>Execution providers compiled into this build, by priority (the CPU provider last).</summary>
    public IReadOnlyList<string> AvailableProviders { get; } = [];

    /// <summary>A session for <paramref name="model"/> on <see cref="Device"/>; ONNX Runtime's reason when the bytes are not a valid model.</summary>
    public OnnxSession CreateSession(ReadOnlySpan<byte> model)
    {
        if (!IsAvailable)
            throw new OnnxRuntimeException(OrtErrorCode.Fail, FailureReason ?? "ONNX Runtime is not available.");
        return new OnnxSession(model, _settings);
    }

    /// <summary>Sets the host on CUDA if a probe session starts there; otherwise returns why not, without trying where it cannot work.</summary>
    private string? TryCuda(int intraOpThreads, Func<string, bool>? tryLoadLibrary)
    {
        if (!AvailableProviders.Contains(CudaProvider))
            return $"this is the CPU build of ONNX Runtime {Version} ({Package}; providers: {string.Join(", ", AvailableProviders)}); " +
                "CUDA needs the GPU image (Microsoft.ML.OnnxRuntime.Gpu.Linux on CUDA 13).";
        if (CudaLibraries.Missing(tryLoadLibrary) is { Count: > 0 } missing)
            return $"the CUDA 13 libraries that the {CudaProvider} of ONNX Runtime {Version} loads are missing here ({string.Join(", ", missing)}): no CUDA 13 runtime or no GPU driver.";
        var cuda = new OnnxSessionSettings(intraOpThreads, UseCuda: true);
        // A probe that fails is an answer, not an error: ONNX Runtime's own error log is held back while it runs.
        var environment = OrtEnv.Instance();
        environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var probe = new OnnxSession(ProbeModel(), cuda);
            var result = probe.Run(new float[] { 1, 2 }, [2]);
            if (result[0].Values is not [1, 2]) return "the CUDA probe session returned wrong values.";
        }
        catch (OnnxRuntimeException e)
        {
            return $"the CUDA execution provider could not start: {e.Message}";
        }
        finally
        {
            environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        }
        var gpu = GpuProbe.Query(cuda.CudaDeviceId);
        var description = gpu is { } g
            ? $"cuda:{cuda.CudaDeviceId} {g.Name}, {g.MemoryMiB} MiB (ONNX Runtime {Version})"
            : $"cuda:{cuda.CudaDeviceId} (ONNX Runtime {Version}; nvidia-smi not available for the GPU's name)";
        Device = new ScoringDevice(ScoringDevice.CudaKind, description, gpu?.Name, gpu?.MemoryMiB);
        _settings = cuda;
        return null;
    }

    /// <summary>Identity over a float vector: the smallest model that proves a session starts and runs.</summary>
    private static byte[] ProbeModel()
    {
        var graph = new OnnxGraphBuilder("vigil_probe");
        var x = graph.Input("x");
        graph.Node("Identity", [x], "y");
        graph.Output("y");
        return graph.ToBytes("Device probe.");
    }
}
