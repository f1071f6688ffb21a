using Vigil.Scoring.Onnx.Export;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// ONNX Runtime for the scoring service, set up once (a singleton): loads the native library, settles the device
/// (Scoring:Device auto | cpu | cuda) by starting a tiny probe session on it, and creates sessions there. Never throws
/// from the constructor: when the runtime cannot be used, <see cref="IsAvailable"/> is false and
/// <see cref="FailureReason"/> says why, so the caller can fall back to the managed scorer and say so.
/// </summary>
public sealed class OnnxRuntimeHost : IDisposable
{
    private readonly OnnxRuntimeLibrary? _library;
    private OnnxSessionSettings _settings = new();

    public OnnxRuntimeHost(string? libraryPath, DeviceRequest device, int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        Requested = device;
        if (string.IsNullOrWhiteSpace(libraryPath))
        {
            FailureReason = "No ONNX Runtime native library is configured (Scoring:OnnxRuntime:LibraryPath is empty); scoring stays on the managed scorer.";
            return;
        }
        try
        {
            _library = OnnxRuntimeLibrary.Load(libraryPath);
        }
        catch (OnnxRuntimeException e)
        {
            FailureReason = e.Message;
            return;
        }
        Version = _library.Version;
        var cpu = new ScoringDevice(ScoringDevice.CpuKind,
            $"cpu (ONNX Runtime {Version}, {(intraOpThreads > 0 ? intraOpThreads : Environment.ProcessorCount)} threads)");
        _settings = new OnnxSessionSettings(intraOpThreads);
        if (device == DeviceRequest.Cpu)
        {
            Device = cpu;
            return;
        }

        var cudaProblem = TryCuda(intraOpThreads);
        if (cudaProblem is null) return;
        if (device == DeviceRequest.Cuda)
        {
            FailureReason = $"Scoring:Device is cuda, but {cudaProblem}";
            return;
        }
        Device = cpu with { FallbackReason = cudaProblem };
    }

    public DeviceRequest Requested { get; }

    /// <summary>Whether sessions can be created (the library loaded and the requested device works).</summary>
    public bool IsAvailable => Device is not null && FailureReason is null;

    /// <summary>Why ONNX Runtime cannot be used here (missing library, CUDA requested but unusable); null when it can.</summary>
    public string? FailureReason { get; }

    /// <summary>The native library's version, when it loaded.</summary>
    public string? Version { get; }

    /// <summary>Where sessions run; null when unavailable.</summary>
    public ScoringDevice? Device { get; private set; }

    public IReadOnlyList<string> AvailableProviders => _library?.AvailableProviders ?? [];

    /// <summary>A session for <paramref name="model"/> on <see cref="Device"/>; ONNX Runtime's reason when the bytes are not a valid model.</summary>
    public OnnxSession CreateSession(ReadOnlySpan<byte> model)
    {
        if (!IsAvailable || _library is null)
            throw new OnnxRuntimeException(OrtErrorCode.Fail, FailureReason ?? "ONNX Runtime is not available.");
        return new OnnxSession(_library, model, _settings);
    }

    /// <summary>Sets the host on CUDA if a probe session starts there; otherwise returns why not.</summary>
    private string? TryCuda(int intraOpThreads)
    {
        var library = _library!;
        if (!library.HasCuda)
            return $"ONNX Runtime {library.Version} at '{library.Path}' has no {OnnxRuntimeLibrary.CudaProvider} (providers: {string.Join(", ", library.AvailableProviders)}).";
        var cuda = new OnnxSessionSettings(intraOpThreads, UseCuda: true);
        try
        {
            using var probe = new OnnxSession(library, ProbeModel(), cuda);
            var result = probe.Run(new float[] { 1, 2 }, [2]);
            if (result[0].Values is not [1, 2]) return "the CUDA probe session returned wrong values.";
        }
        catch (OnnxRuntimeException e)
        {
            return $"the CUDA execution provider could not start: {e.Message}";
        }
        var gpu = GpuProbe.Query(cuda.CudaDeviceId);
        var description = gpu is { } g
            ? $"cuda:{cuda.CudaDeviceId} {g.Name}, {g.MemoryMiB} MiB (ONNX Runtime {library.Version})"
            : $"cuda:{cuda.CudaDeviceId} (ONNX Runtime {library.Version}; nvidia-smi not available for the GPU's name)";
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

    public void Dispose() => _library?.Dispose();
}
