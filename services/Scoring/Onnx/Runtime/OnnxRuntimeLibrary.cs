using System.Runtime.InteropServices;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// The native ONNX Runtime library, loaded once: OrtGetApiBase, its version, the OrtApi function table, one OrtEnv and
/// the CPU memory description that input tensors over managed memory use. Thread-safe; the library is never unloaded
/// (sessions may outlive any owner of this object).
/// </summary>
public sealed unsafe class OnnxRuntimeLibrary : IDisposable
{
    private const string ApiBaseExport = "OrtGetApiBase";
    private const string CudaAppendExport = "OrtSessionOptionsAppendExecutionProvider_CUDA";
    private const int LoggingLevelError = 3;
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private readonly OrtEnvHandle _env;
    private readonly OrtMemoryInfoHandle _cpuMemory;
    private readonly delegate* unmanaged[Cdecl]<nint, int, nint> _appendCuda;

    private OnnxRuntimeLibrary(string path, nint library)
    {
        Path = path;
        if (!NativeLibrary.TryGetExport(library, ApiBaseExport, out var getApiBase))
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"'{path}' is not an ONNX Runtime library: it has no {ApiBaseExport} export.");
        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }.
        var apiBase = (nint*)((delegate* unmanaged[Cdecl]<nint>)getApiBase)();
        if (apiBase is null)
            throw new OnnxRuntimeException(OrtErrorCode.Fail, $"'{path}': {ApiBaseExport} returned nothing.");
        Version = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged[Cdecl]<byte*>)apiBase[1])()) ?? "unknown";
        var table = ((delegate* unmanaged[Cdecl]<uint, nint>)apiBase[0])(OrtApi.ApiVersion);
        if (table == 0)
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented,
                $"ONNX Runtime {Version} at '{path}' does not serve C API version {OrtApi.ApiVersion}; version 1.{OrtApi.ApiVersion} or later is needed.");
        Api = new OrtApi(table);
        _appendCuda = NativeLibrary.TryGetExport(library, CudaAppendExport, out var appendCuda)
            ? (delegate* unmanaged[Cdecl]<nint, int, nint>)appendCuda
            : null;

        _env = new OrtEnvHandle(Api);
        nint env;
        fixed (byte* logId = "vigil-scoring"u8)
            Api.Check(Api.CreateEnv(LoggingLevelError, logId, &env));
        _env.Own(env);
        _cpuMemory = new OrtMemoryInfoHandle(Api);
        nint memory;
        Api.Check(Api.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &memory));
        _cpuMemory.Own(memory);
        AvailableProviders = ReadAvailableProviders();
    }

    /// <summary>The file the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>The library's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>Execution providers compiled into this build (e.g. CPUExecutionProvider, CUDAExecutionProvider).</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    public bool HasCuda => AvailableProviders.Contains(CudaProvider) && _appendCuda is not null;

    public const string CudaProvider = "CUDAExecutionProvider";

    internal OrtApi Api { get; }

    internal OrtEnvHandle Env => _env;

    internal OrtMemoryInfoHandle CpuMemory => _cpuMemory;

    /// <summary>
    /// Loads the library at <paramref name="path"/>. Throws <see cref="OnnxRuntimeException"/> with the reason when the
    /// file is missing, cannot be loaded, or is not an ONNX Runtime the binding can use.
    /// </summary>
    public static OnnxRuntimeLibrary Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"The ONNX Runtime native library was not found at '{full}'.");
        nint library;
        try
        {
            library = NativeLibrary.Load(full);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"The ONNX Runtime native library at '{full}' could not be loaded: {e.Message}", e);
        }
        return new OnnxRuntimeLibrary(full, library);
    }

    /// <summary>Makes an OrtStatus with this code and message and reads it back (proves the status entries of the table).</summary>
    public OnnxRuntimeException RoundTripStatus(OrtErrorCode code, string message)
    {
        var utf8 = Marshal.StringToCoTaskMemUTF8(message);
        try
        {
            var status = Api.CreateStatus((int)code, (byte*)utf8);
            return Api.TakeError(status);
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }

    /// <summary>Appends the CUDA execution provider on <paramref name="deviceId"/>; throws ONNX Runtime's reason when it cannot.</summary>
    internal void AppendCuda(OrtSessionOptionsHandle options, int deviceId)
    {
        if (_appendCuda is null)
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"The ONNX Runtime library at '{Path}' has no {CudaAppendExport} export.");
        Api.Check(_appendCuda(options.Pointer, deviceId));
    }

    private IReadOnlyList<string> ReadAvailableProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count));
        try
        {
            var providers = new string[count];
            for (var i = 0; i < count; i++) providers[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            return providers;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(names, count));
        }
    }

    public void Dispose()
    {
        _cpuMemory.Dispose();
        _env.Dispose();
    }
}
