using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vigil.DirectFiles;

/// <summary>
/// Switches an open file to direct I/O (Linux's O_DIRECT, set and cleared with fcntl(2)), so object bodies move between
/// the disk and this process's reused buffers without a copy in the page cache. Why it matters: every byte written through
/// the page cache needs a page of its own, and on a VM whose free memory is handed back to its host (the benchmark
/// machine: free page reporting) touching such pages again costs ten times more than the copy; the objects are large,
/// written once and read once or twice, so the cache gains little for what it costs. Direct I/O asks for offsets,
/// lengths and buffer addresses aligned to <see cref="Alignment"/>; callers fall back to ordinary I/O where it is refused.
/// </summary>
public static partial class DirectIo
{
    /// <summary>4 KiB: the logical block of every disk and file system in use here (512-byte devices accept it too).</summary>
    public const int Alignment = 4096;

    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;

    private static readonly int DirectFlag = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    /// <summary>Turns direct I/O on for <paramref name="handle"/>; false where the system or file system does not offer it.</summary>
    public static bool TryEnable(SafeFileHandle handle) => OperatingSystem.IsLinux() && SetDirect(handle, on: true);

    /// <summary>Back to ordinary (page cache) I/O, for an unaligned tail or a refused request.</summary>
    public static void Disable(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux()) SetDirect(handle, on: false);
    }

    /// <summary>Whether files in <paramref name="folder"/> can be written with direct I/O (tried on a scratch file).</summary>
    public static bool WorksIn(string folder)
    {
        var probe = Path.Combine(folder, $".direct-io-probe.{Environment.ProcessId}");
        try
        {
            using var handle = File.OpenHandle(probe, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.DeleteOnClose);
            return TryEnable(handle);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>How many leading bytes of <paramref name="bytes"/> can go to <paramref name="offset"/> with direct I/O: whole blocks, when both start aligned.</summary>
    public static unsafe int AlignedPrefix(long offset, ReadOnlySpan<byte> bytes)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
        if (offset % Alignment != 0 || address % Alignment != 0) return 0;
        return bytes.Length - bytes.Length % Alignment;
    }

    public static long AlignDown(long value) => value - value % Alignment;

    public static long AlignUp(long value) => AlignDown(value + Alignment - 1);

    private static bool SetDirect(SafeFileHandle handle, bool on)
    {
        var flags = Fcntl(handle, GetStatusFlags, 0);
        if (flags < 0) return false;
        return Fcntl(handle, SetStatusFlags, on ? flags | DirectFlag : flags & ~DirectFlag) == 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle handle, int command, int argument);
}
