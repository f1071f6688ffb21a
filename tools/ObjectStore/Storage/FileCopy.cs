using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Vigil.DirectFiles;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// Copies one file's bytes to an offset of another: on Linux with copy_file_range(2), so the bytes never pass through
/// this process; elsewhere, or where the kernel refuses, through a pooled buffer.
/// </summary>
public static partial class FileCopy
{
    private const int Chunk = 64 * 1024 * 1024;

    /// <summary>Copies all of <paramref name="source"/> to <paramref name="target"/> at <paramref name="offset"/>; returns the bytes copied.</summary>
    public static long Append(SafeFileHandle source, SafeFileHandle target, long offset)
    {
        var length = RandomAccess.GetLength(source);
        long copied = 0;
        if (OperatingSystem.IsLinux()) copied = KernelCopy(source, target, offset, length);
        return copied + BufferedCopy(source, copied, target, offset + copied, length - copied);
    }

    private static long KernelCopy(SafeFileHandle source, SafeFileHandle target, long offset, long length)
    {
        long copied = 0;
        while (copied < length)
        {
            var inOffset = copied;
            var outOffset = offset + copied;
            var done = CopyFileRange(source, ref inOffset, target, ref outOffset, (nuint)Math.Min(Chunk, length - copied), 0);
            if (done <= 0) break; // not supported here (ENOSYS, EXDEV, EINVAL): the rest goes through the buffer
            copied += done;
        }
        return copied;
    }

    private static long BufferedCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long length)
    {
        if (length <= 0) return 0;
        using var chunks = new FileChunks(source, sourceOffset, length, direct: false);
        long copied = 0;
        for (var chunk = chunks.Next(); !chunk.IsEmpty; chunk = chunks.Next())
        {
            RandomAccess.Write(target, chunk.Span, targetOffset + copied);
            copied += chunk.Length;
        }
        return copied;
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle fdIn, ref long offIn, SafeFileHandle fdOut, ref long offOut, nuint length, uint flags);
}
