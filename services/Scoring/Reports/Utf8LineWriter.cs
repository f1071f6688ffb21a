using System.Globalization;
using System.Text;

namespace Vigil.Scoring.Reports;

/// <summary>
/// Appends CSV text straight into a growing UTF-8 buffer: numbers through their UTF-8 formatting (the same text as
/// their string formatting), so a report block costs no intermediate strings.
/// </summary>
internal struct Utf8LineWriter(int capacity)
{
    private byte[] _buffer = new byte[Math.Max(capacity, 256)];
    private int _length;

    public readonly ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void Text(string value)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void Number(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>A double or float under <paramref name="format"/>, as its string formatting would write it.</summary>
    public void Number<T>(T value, string format) where T : IUtf8SpanFormattable
    {
        // 64 bytes hold any number under a format of a few decimals; the loop is for formats that need more.
        for (var room = 64; ; room *= 2)
        {
            Ensure(room);
            if (value.TryFormat(_buffer.AsSpan(_length), out var written, format, CultureInfo.InvariantCulture))
            {
                _length += written;
                return;
            }
        }
    }

    private void Ensure(int room)
    {
        if (_length + room <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + room));
    }
}
