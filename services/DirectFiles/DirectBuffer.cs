using System.Collections.Concurrent;

namespace Vigil.DirectFiles;

/// <summary>
/// A 1 MiB block of memory aligned for direct I/O (a slice of a pinned array), kept in a small pool so the same pages are
/// reused request after request instead of fresh ones being touched for every body.
/// </summary>
public sealed class DirectBuffer
{
    public const int Size = 1024 * 1024;
    private const int Kept = 16;

    private static readonly ConcurrentBag<DirectBuffer> Free = [];

    private readonly byte[] _array;
    private readonly int _start;

    private unsafe DirectBuffer()
    {
        _array = GC.AllocateUninitializedArray<byte>(Size + DirectIo.Alignment, pinned: true);
        fixed (byte* first = _array)
        {
            _start = (int)((DirectIo.Alignment - (nint)first % DirectIo.Alignment) % DirectIo.Alignment);
        }
    }

    public Memory<byte> Memory => _array.AsMemory(_start, Size);

    public Span<byte> Span => _array.AsSpan(_start, Size);

    public static DirectBuffer Rent() => Free.TryTake(out var buffer) ? buffer : new DirectBuffer();

    public static void Return(DirectBuffer buffer)
    {
        if (Free.Count < Kept) Free.Add(buffer);
    }
}
