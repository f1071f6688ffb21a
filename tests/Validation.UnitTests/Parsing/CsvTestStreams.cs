using System.Text;
using Vigil.Tabular.Parsing;

namespace Vigil.Validation.UnitTests.Parsing;

/// <summary>Builds batches and reads them back whole, for assertions.</summary>
internal static class Csv
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static Stream From(string text) => new ForwardOnlyStream(Encoding.UTF8.GetBytes(text));

    public static Stream FromBytes(params byte[][] parts) => new ForwardOnlyStream(parts.SelectMany(p => p).ToArray());

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The header followed by every record, each as its fields.</summary>
    public static List<string[]> ReadAll(Stream stream, CsvOptions? options = null)
    {
        using var reader = new CsvRecordReader(stream, options);
        var rows = new List<string[]> { reader.ReadHeader().ToArray() };
        while (reader.ReadRecord())
        {
            rows.Add(Fields(reader));
        }

        return rows;
    }

    public static string[] Fields(CsvRecordReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reader.GetFieldString(i);
        }

        return fields;
    }
}

/// <summary>A non-seekable stream over bytes, as an S3 response stream is.</summary>
internal class ForwardOnlyStream(byte[] data) : Stream
{
    private int _position;

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(NextReadSize(buffer.Length), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    protected virtual int NextReadSize(int requested) => requested;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>Hands out 1 to 3 bytes per read, so every multi-byte sequence and CRLF gets split somewhere.</summary>
internal sealed class TrickleStream(byte[] data, int seed = 17) : ForwardOnlyStream(data)
{
    private readonly Random _random = new(seed);

    public static TrickleStream From(string text) => new(Encoding.UTF8.GetBytes(text));

    protected override int NextReadSize(int requested) => Math.Min(requested, _random.Next(1, 4));
}

/// <summary>An endless generated batch that counts the bytes handed out.</summary>
internal sealed class EndlessCsvStream : Stream
{
    private readonly byte[] _header = Encoding.UTF8.GetBytes("id,name,amount\n");
    private byte[] _pending;
    private int _pendingPosition;
    private long _row;

    public EndlessCsvStream() => _pending = _header;

    public long BytesServed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_pendingPosition == _pending.Length)
            {
                _row++;
                _pending = Encoding.UTF8.GetBytes($"{_row},\"name {_row}\",{_row * 3}.25\n");
                _pendingPosition = 0;
            }

            var count = Math.Min(buffer.Length - written, _pending.Length - _pendingPosition);
            _pending.AsSpan(_pendingPosition, count).CopyTo(buffer[written..]);
            _pendingPosition += count;
            written += count;
        }

        BytesServed += written;
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
