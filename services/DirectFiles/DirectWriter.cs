using Microsoft.Win32.SafeHandles;

namespace Vigil.DirectFiles;

/// <summary>
/// Appends to a file, with direct I/O when asked and possible: whole aligned blocks go straight to the disk, and the first
/// write that cannot (an unaligned tail, a buffer not from <see cref="DirectBuffer"/>) turns it off for the rest of the
/// file, so any sequence of writes lands byte for byte. Does not own the handle.
/// </summary>
public sealed class DirectWriter
{
    private readonly SafeFileHandle _handle;
    private bool _direct;

    public DirectWriter(SafeFileHandle handle, bool direct)
    {
        _handle = handle;
        _direct = direct && DirectIo.TryEnable(handle);
    }

    public long Length { get; private set; }

    /// <summary>Whether the next aligned write would still bypass the page cache.</summary>
    public bool IsDirect => _direct;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_direct) bytes = bytes[WriteDirect(bytes)..];
        if (bytes.IsEmpty) return;
        RandomAccess.Write(_handle, bytes, Length);
        Length += bytes.Length;
    }

    /// <summary>Appends all of <paramref name="source"/>, read with direct I/O while this writer is direct.</summary>
    public void Append(SafeFileHandle source)
    {
        using var chunks = new FileChunks(source, 0, RandomAccess.GetLength(source), _direct);
        for (var chunk = chunks.Next(); !chunk.IsEmpty; chunk = chunks.Next()) Write(chunk.Span);
    }

    /// <summary>After bytes were added by other means (a kernel copy): where the next write goes.</summary>
    public void Advance(long count)
    {
        if (count % DirectIo.Alignment != 0) StopDirect();
        Length += count;
    }

    /// <summary>Writes the leading whole blocks directly; returns how many bytes it wrote, and stops direct I/O when bytes remain.</summary>
    private int WriteDirect(ReadOnlySpan<byte> bytes)
    {
        var aligned = DirectIo.AlignedPrefix(Length, bytes);
        if (aligned > 0)
        {
            try
            {
                RandomAccess.Write(_handle, bytes[..aligned], Length);
                Length += aligned;
            }
            catch (IOException)
            {
                aligned = 0; // refused (a direct write fails whole): these bytes go through the page cache
            }
        }
        if (aligned < bytes.Length) StopDirect();
        return aligned;
    }

    private void StopDirect()
    {
        if (!_direct) return;
        DirectIo.Disable(_handle);
        _direct = false;
    }
}
