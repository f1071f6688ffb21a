using System.Runtime.InteropServices;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>An owned ONNX Runtime object, released through the API's matching Release function exactly once.</summary>
internal abstract class OrtHandle(OrtApi api) : SafeHandle(0, ownsHandle: true)
{
    protected OrtApi Api { get; } = api;

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of what a Create call wrote; call straight after it, before anything can throw.</summary>
    public void Own(nint value) => SetHandle(value);

    /// <summary>The raw pointer for a call; the caller keeps this handle alive (and un-disposed) across the call.</summary>
    public nint Pointer => IsClosed ? throw new ObjectDisposedException(GetType().Name) : handle;
}

internal sealed unsafe class OrtEnvHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseEnv(handle); return true; }
}

internal sealed unsafe class OrtSessionOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseSessionOptions(handle); return true; }
}

internal sealed unsafe class OrtSessionHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseSession(handle); return true; }
}

internal sealed unsafe class OrtValueHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseValue(handle); return true; }
}

internal sealed unsafe class OrtMemoryInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseMemoryInfo(handle); return true; }
}

internal sealed unsafe class OrtStatusHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseStatus(handle); return true; }
}

internal sealed unsafe class OrtTypeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseTypeInfo(handle); return true; }
}

internal sealed unsafe class OrtTensorShapeHandle(OrtApi api) : OrtHandle(api)
{
    protected override bool ReleaseHandle() { Api.ReleaseTensorTypeAndShapeInfo(handle); return true; }
}

/// <summary>UTF-8, NUL-terminated copies of strings (input and output names) that native calls read.</summary>
internal sealed class NativeUtf8Strings : SafeHandle
{
    private readonly nint[] _strings;

    public NativeUtf8Strings(IReadOnlyList<string> values) : base(0, ownsHandle: true)
    {
        _strings = new nint[values.Count];
        for (var i = 0; i < values.Count; i++) _strings[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        SetHandle(1);
    }

    public override bool IsInvalid => handle == 0;

    public ReadOnlySpan<nint> Pointers => IsClosed ? throw new ObjectDisposedException(nameof(NativeUtf8Strings)) : _strings;

    protected override bool ReleaseHandle()
    {
        foreach (var s in _strings) Marshal.FreeCoTaskMem(s);
        return true;
    }
}
