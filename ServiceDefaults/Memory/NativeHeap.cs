using System.Runtime.InteropServices;

namespace Vigil.ServiceDefaults.Memory;

/// <summary>
/// Hands memory that native code freed back to the operating system. ONNX Runtime allocates a session's graph, weights
/// and buffers with malloc on whichever thread-pool thread created or ran it; glibc keeps what is freed in that thread's
/// arena (up to eight per core) instead of returning it, so every model version loaded and released left tens of MiB
/// resident (the soak in docs/platform-benchmark.md). <c>malloc_trim</c> returns the free pages of every arena. Where
/// the C library has no such function (musl, not Linux) this does nothing.
/// </summary>
public static class NativeHeap
{
    private static int _unavailable;

    /// <summary>Returns the free pages of glibc's heaps to the system; false where that is not possible here.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _unavailable) != 0) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unavailable, 1);
            return false;
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole project, for one
    // blittable call.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
