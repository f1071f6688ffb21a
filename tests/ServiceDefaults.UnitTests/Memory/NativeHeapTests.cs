using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.ServiceDefaults.Memory;

namespace Vigil.ServiceDefaults.UnitTests.Memory;

public sealed class NativeHeapTests
{
    private const int BlockBytes = 64 * 1024;

    [Fact]
    public void Trim_returns_memory_that_native_code_freed_but_glibc_kept()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.Trim());
            return;
        }
        // 192 MiB in 64 KiB blocks (below glibc's mmap threshold, so they come from its heap), all freed but the last:
        // that one pins the heap's top, so glibc keeps the freed pages resident until it is asked to trim.
        var filler = new byte[BlockBytes];
        Array.Fill(filler, (byte)1);
        var pointers = new nint[3072];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = Marshal.AllocHGlobal(BlockBytes);
            Marshal.Copy(filler, 0, pointers[i], BlockBytes);
        }
        for (var i = 0; i < pointers.Length - 1; i++) Marshal.FreeHGlobal(pointers[i]);
        var before = ResidentBytes();

        var trimmed = NativeHeap.Trim();
        var after = ResidentBytes();
        Marshal.FreeHGlobal(pointers[^1]);

        Assert.True(trimmed);
        Assert.True(before - after > 128L * 1024 * 1024, $"resident {before >> 20} MiB before the trim, {after >> 20} MiB after");
    }

    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
}
