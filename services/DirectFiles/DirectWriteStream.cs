using Microsoft.Win32.SafeHandles;

namespace Vigil.DirectFiles;

/// <summary>
/// A write-only stream into a new file, gathered in one <see cref="DirectBuffer"/> and written a whole buffer at a time
/// with direct I/O where the file system allows (<see cref="DirectWriter"/>): for a file produced once and read back
/// once (a report on its way to the object store). <see cref="Flush"/> writes nothing, since a partial block would end
/// direct I/O for the rest of the file; everything is on disk once the stream is disposed.
/// </summary>
public sealed class DirectWriteStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly DirectWriter _writer;
    private DirectBuffer? _buffer = DirectBuffer.Rent();
    private int _filled;

    public DirectWriteStream(string path, bool direct)
    {
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _writer = new DirectWriter(_handle, direct);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _buffer is not null;
    public override long Length => Position;

    public override long Position
    {
        get => _writer.Length + _filled;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> bytes)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(DirectWriteStream));
        while (!bytes.IsEmpty)
        {
            var count = Math.Min(bytes.Length, DirectBuffer.Size - _filled);
            bytes[..count].CopyTo(buffer.Span[_filled..]);
            _filled += count;
            bytes = bytes[count..];
            if (_filled == DirectBuffer.Size) WriteBuffered();
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } buffer)
        {
            try
            {
                WriteBuffered();
            }
            finally
            {
                _buffer = null;
                DirectBuffer.Return(buffer);
                _handle.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private void WriteBuffered()
    {
        _writer.Write(_buffer!.Span[.._filled]);
        _filled = 0;
    }
}
