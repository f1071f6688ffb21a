using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Vigil.ObjectStore.Protocol;

/// <summary>
/// Reads an <c>aws-chunked</c> request body (SigV4 streaming uploads: <c>size[;chunk-signature=…]\r\n data \r\n</c> …,
/// then a zero-size chunk and optional trailers such as <c>x-amz-checksum-crc32</c>) as the object's bytes only.
/// Chunk signatures and trailing checksums are read past, not verified. Data is read straight into the caller's buffer
/// whenever the look-ahead buffer is empty, so the decoding adds no copy for large chunks.
/// </summary>
public sealed class AwsChunkedStream(Stream inner) : Stream
{
    private const int MaxLine = 4096;
    private readonly byte[] _lookahead = new byte[MaxLine * 2];
    private int _start;
    private int _end;
    private long _remaining;
    private bool _chunkOpen;
    private bool _done;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.Length == 0) return 0;
        if (_remaining == 0)
        {
            if (_chunkOpen)
            {
                var end = await ReadLineAsync(cancellationToken);
                if (end.Length != 0) throw new InvalidDataException("aws-chunked body: a chunk is longer than its declared size.");
                _chunkOpen = false;
            }
            _remaining = ParseSize(await ReadLineAsync(cancellationToken));
            if (_remaining == 0)
            {
                // Trailers (checksums, the trailer signature) up to an empty line or the end of the body.
                while (await TryReadLineAsync(cancellationToken) is { Length: > 0 })
                {
                }
                _done = true;
                return 0;
            }
            _chunkOpen = true;
        }

        var wanted = (int)Math.Min(buffer.Length, _remaining);
        int read;
        if (_end > _start)
        {
            read = Math.Min(wanted, _end - _start);
            _lookahead.AsMemory(_start, read).CopyTo(buffer);
            _start += read;
        }
        else
        {
            read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
            if (read == 0) throw new EndOfStreamException("aws-chunked body ended inside a chunk.");
        }
        _remaining -= read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static long ParseSize(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var semicolon = span.IndexOf((byte)';');
        var digits = semicolon >= 0 ? span[..semicolon] : span;
        if (!Utf8Parser.TryParse(digits, out long size, out var consumed, 'X') || consumed != digits.Length || size < 0)
            throw new InvalidDataException($"aws-chunked body: '{Encoding.ASCII.GetString(digits)}' is not a chunk size.");
        return size;
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken cancellationToken) =>
        await TryReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("aws-chunked body ended before a chunk header.");

    /// <summary>The next line without its CRLF, or null at the end of the body.</summary>
    private async ValueTask<ReadOnlyMemory<byte>?> TryReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _lookahead.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _lookahead.AsMemory(_start, newline);
                _start += newline + 1;
                return line.Length > 0 && line.Span[^1] == '\r' ? line[..^1] : line;
            }
            if (_end - _start >= MaxLine)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"aws-chunked body: a header line is longer than {MaxLine} bytes."));
            if (_start > 0)
            {
                _lookahead.AsSpan(_start, _end - _start).CopyTo(_lookahead);
                _end -= _start;
                _start = 0;
            }
            var read = await inner.ReadAsync(_lookahead.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                if (_end == _start) return null;
                var rest = _lookahead.AsMemory(_start, _end - _start);
                _start = _end;
                return rest;
            }
            _end += read;
        }
    }
}
