using System.Buffers;
using System.Globalization;
using System.Text;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Reports;

/// <summary>
/// Appends CSV text straight into a growing UTF-8 buffer rented from the shared pool: numbers through their UTF-8
/// formatting (the same text as their string formatting), so a report block costs no intermediate strings.
/// <see cref="Return"/> hands the buffer back once <see cref="Written"/> has been used.
/// </summary>
internal struct Utf8LineWriter(int capacity)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
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

    public void Text(ReadOnlySpan<char> value)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>A CSV field as <see cref="CsvField.Quote"/> writes it, without a string when it needs no quotes.</summary>
    public void Field(ReadOnlySpan<char> value)
    {
        if (CsvField.NeedsQuotes(value)) Text(CsvField.Quote(value.ToString()));
        else Text(value);
    }

    public void Number(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>A double as <c>ToString("0.####", CultureInfo.InvariantCulture)</c> writes it.</summary>
    public void FourDecimals(double value)
    {
        // The fast path needs a few dozen bytes; the loop is for the framework's formatting of a huge value.
        for (var room = 32; ; room *= 2)
        {
            Ensure(room);
            if (FourDecimalFormat.TryFormat(value, _buffer.AsSpan(_length), out var written))
            {
                _length += written;
                return;
            }
        }
    }

    /// <summary>A float as <c>ToString("0.####", CultureInfo.InvariantCulture)</c> writes it (a float's digits, not its double's).</summary>
    public void FourDecimals(float value)
    {
        for (var room = 32; ; room *= 2)
        {
            Ensure(room);
            if (FourDecimalFormat.TryFormat(value, _buffer.AsSpan(_length), out var written))
            {
                _length += written;
                return;
            }
        }
    }

    /// <summary>Hands the buffer back to the pool; nothing written may be read after.</summary>
    public void Return()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    private void Ensure(int room)
    {
        if (_length + room <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + room));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
