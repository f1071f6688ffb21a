using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Vigil.Tabular.Spill;

/// <summary>
/// Reads a spill's fields, hashing every byte, and never allocates more than the bytes the object still holds, so a
/// corrupt length cannot ask for gigabytes; <see cref="Finish"/> compares the checksum.
/// </summary>
internal sealed class SpillReader(Stream source, long length)
{
    private readonly XxHash64 _hash = new();
    private long _remaining = length - sizeof(ulong);

    public void Read(Span<byte> destination)
    {
        Reserve(destination.Length);
        source.ReadExactly(destination);
        _hash.Append(destination);
    }

    public T[] ReadValues<T>(int count) where T : unmanaged
    {
        if (count < 0) throw Corrupt($"a negative count ({count})");
        Reserve((long)count * Marshal.SizeOf<T>(), consume: false);
        var values = GC.AllocateUninitializedArray<T>(count);
        Read(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public byte ReadByte()
    {
        Span<byte> bytes = stackalloc byte[1];
        Read(bytes);
        return bytes[0];
    }

    public int ReadInt32()
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        Read(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public long ReadInt64()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        Read(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public string ReadString() => SpillWriter.Utf8.GetString(ReadValues<byte>(ReadInt32()));

    /// <summary>Checks that every byte before the checksum was read and that the checksum matches them.</summary>
    public void Finish()
    {
        if (_remaining != 0) throw Corrupt($"{_remaining} bytes after the last column");
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        source.ReadExactly(checksum);
        if (BinaryPrimitives.ReadUInt64LittleEndian(checksum) != _hash.GetCurrentHashAsUInt64()) throw Corrupt("a checksum that does not match its content");
        if (source.ReadByte() != -1) throw Corrupt("bytes after its checksum");
    }

    private void Reserve(long bytes, bool consume = true)
    {
        if (bytes > _remaining) throw Corrupt($"a field of {bytes:N0} bytes where {Math.Max(0, _remaining):N0} remain");
        if (consume) _remaining -= bytes;
    }

    internal static SpillFormatException Corrupt(string what) => new($"The columnar spill is corrupt: it has {what}.");
}
