using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Validation.Schema;

/// <summary>Process-independent 64-bit hashes of column values, for distinct-count sketches and row comparison.</summary>
internal static class ValueHash
{
    /// <summary>
    /// The SplitMix64 finaliser: spreads every input bit over the whole result. It is a bijection, so distinct longs (and doubles,
    /// through their bits) have distinct hashes and counting hashes counts values exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(long value) => Mix((ulong)value);

    /// <summary>Equal doubles hash equally (0.0 and -0.0 included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(double value) => Mix((ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0 : value));

    /// <summary>
    /// A multiply-rotate hash over the string's UTF-16 bytes, eight at a time, then mixed. Not cryptographic; the same in every
    /// process (unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    public static ulong Of(string value)
    {
        const ulong p1 = 0x9E3779B185EBCA87UL;
        const ulong p2 = 0xC2B2AE3D27D4EB4FUL;
        var bytes = MemoryMarshal.AsBytes(value.AsSpan());
        var hash = (ulong)bytes.Length * p1;
        while (bytes.Length >= 8)
        {
            hash = BitOperations.RotateLeft(hash ^ (BinaryPrimitives.ReadUInt64LittleEndian(bytes) * p2), 31) * p1;
            bytes = bytes[8..];
        }
        if (!bytes.IsEmpty)
        {
            // 2, 4 or 6 bytes left (UTF-16).
            ulong tail = bytes.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            if (bytes.Length == 6) tail |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) << 32;
            hash = BitOperations.RotateLeft(hash ^ (tail * p2), 31) * p1;
        }
        return Mix(hash);
    }

    /// <summary>Combines a running hash with the next value's hash (order matters).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong running, ulong next) => Mix(running * 31 + next + 0x9E3779B97F4A7C15UL);
}
