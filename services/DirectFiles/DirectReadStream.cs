using Microsoft.Win32.SafeHandles;

namespace Vigil.DirectFiles;

/// <summary>
/// A read-only, seekable stream over a whole file, read in 1 MiB chunks with direct I/O where the file system allows
/// (<see cref="FileChunks"/>): for handing a temporary file to a client that reads it once (an upload) without filling the
/// page cache with it. Owns the handle.
/// </summary>
public sealed class DirectReadStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private readonly bool _direct;
    private FileChunks? _chunks;
    private ReadOnlyMemory<byte> _chunk;
    private long _position;

    public DirectReadStream(string path, bool direct)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        _length = RandomAccess.GetLength(_handle);
        _direct = direct;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_chunk.IsEmpty)
        {
            _chunks ??= new FileChunks(_handle, _position, _length - _position, _direct);
            _chunk = _chunks.Next();
            if (_chunk.IsEmpty) return 0;
        }
        var count = Math.Min(buffer.Length, _chunk.Length);
        _chunk.Span[..count].CopyTo(buffer);
        _chunk = _chunk[count..];
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target == _position) return _position;
        // Chunks run forwards from where they began: a new position starts a new run.
        _chunks?.Dispose();
        _chunks = null;
        _chunk = ReadOnlyMemory<byte>.Empty;
        _position = Math.Min(target, _length);
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunks?.Dispose();
            _chunks = null;
            _handle.Dispose();
        }
        base.Dispose(disposing);
    }
}
