using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Vigil.DirectFiles;

/// <summary>
/// Reads a byte range of a file in chunks of up to 1 MiB through one <see cref="DirectBuffer"/>, with direct I/O where the
/// caller asks for it and the file system allows it (reads then start at the block below the range and skip the head).
/// Each chunk is valid until the next call.
/// </summary>
public sealed class FileChunks : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly long _end;
    private readonly DirectBuffer _buffer = DirectBuffer.Rent();
    private bool _direct;
    private long _offset;

    public FileChunks(SafeFileHandle handle, long start, long length, bool direct)
    {
        _handle = handle;
        _start = start;
        _end = start + length;
        _direct = direct && DirectIo.TryEnable(handle);
        _offset = _direct ? DirectIo.AlignDown(start) : start;
    }

    /// <summary>The next chunk of the range; empty once it has all been read.</summary>
    public ReadOnlyMemory<byte> Next()
    {
        if (_offset >= _end) return ReadOnlyMemory<byte>.Empty;
        var read = _direct ? ReadDirect() : Read(_offset, (int)Math.Min(DirectBuffer.Size, _end - _offset));
        if (read == 0)
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"The file ended at {_offset} of {_end} bytes while being read."));
        var skip = (int)Math.Max(0, _start - _offset);
        var usable = (int)Math.Min(read, _end - _offset);
        _offset += read;
        return _buffer.Memory[skip..usable];
    }

    private int ReadDirect()
    {
        try
        {
            var read = Read(_offset, (int)Math.Min(DirectBuffer.Size, DirectIo.AlignUp(_end - _offset)));
            // A short read before the end would leave the next offset unaligned: carry on without direct I/O.
            if (read % DirectIo.Alignment != 0 && _offset + read < _end) StopDirect();
            return read;
        }
        catch (IOException)
        {
            StopDirect();
            return Read(_offset, (int)Math.Min(DirectBuffer.Size, _end - _offset));
        }
    }

    private int Read(long offset, int count) => RandomAccess.Read(_handle, _buffer.Span[..count], offset);

    private void StopDirect()
    {
        DirectIo.Disable(_handle);
        _direct = false;
    }

    public void Dispose() => DirectBuffer.Return(_buffer);
}
