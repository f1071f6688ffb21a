using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Tabular.Spill;

/// <summary>Writes a spill's fields little-endian through a buffer, hashing every byte; <see cref="Finish"/> appends the checksum.</summary>
internal sealed class SpillWriter(Stream destination) : IDisposable
{
    private const int BufferSize = 1 << 20;

    /// <summary>Strict UTF-8: a text that cannot round-trip (a lone surrogate) stops the spill instead of changing.</summary>
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly XxHash64 _hash = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        _hash.Append(bytes);
        if (bytes.Length > _buffer.Length - _used) Flush();
        if (bytes.Length >= _buffer.Length)
        {
            destination.Write(bytes);
            return;
        }
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    public void WriteValues<T>(ReadOnlySpan<T> values) where T : unmanaged => Write(MemoryMarshal.AsBytes(values));

    public void WriteByte(byte value) => Write([value]);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteString(string text)
    {
        var bytes = Utf8.GetBytes(text);
        WriteInt32(bytes.Length);
        Write(bytes);
    }

    /// <summary>Room for <paramref name="size"/> bytes to encode into directly; <see cref="Advance"/> says how many were used.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (size > _buffer.Length - _used) Flush();
        if (size > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
        return _buffer.AsSpan(_used, size);
    }

    public void Advance(int count)
    {
        _hash.Append(_buffer.AsSpan(_used, count));
        _used += count;
    }

    /// <summary>Writes the checksum of everything written (not itself hashed) and flushes.</summary>
    public void Finish()
    {
        Flush();
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, _hash.GetCurrentHashAsUInt64());
        destination.Write(checksum);
        destination.Flush();
    }

    private void Flush()
    {
        if (_used == 0) return;
        destination.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
