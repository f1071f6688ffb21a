using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Append-only storage of many short texts: their chars back to back in chunks, and one end position per text.
/// No .NET string is made per text; <see cref="Get"/> hands out a span into the chunk that holds it.
/// </summary>
/// <remarks>
/// Positions live in one virtual space cut into slots of <see cref="SlotSize"/> chars. A text never straddles two
/// chunks: one that does not fit in what is left of the current slot starts at the next slot boundary. A text longer
/// than a slot gets its own array, which covers as many whole slots as it needs (and the texts after it use what is
/// left of its last slot). Only the end position of each text is kept; its start is the previous text's end unless
/// the text could not have fitted there, in which case it is the next slot boundary (see <see cref="StartOf"/>).
/// </remarks>
internal sealed class TextStore
{
    internal const int SlotShift = 15;
    internal const int SlotSize = 1 << SlotShift;
    private const int SlotMask = SlotSize - 1;
    private const int FirstArraySize = 256;

    /// <summary>The most chars one store holds (a little under 2^31), so positions fit an int.</summary>
    internal const int MaxChars = int.MaxValue & ~SlotMask;

    private readonly ChunkedList<int> _ends = new();
    private char[][] _slotArrays = new char[4][];
    private int[] _slotBases = new int[4];
    private int _slotCount;
    private int _end;

    public int Count => _ends.Count;

    /// <summary>Appends a text; false (and nothing appended) when the store would exceed <see cref="MaxChars"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAdd(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            _ends.Add(_end);
            return true;
        }

        var start = _end;
        var offset = start & SlotMask;
        if (text.Length > SlotSize)
        {
            if (offset != 0) start = (start & ~SlotMask) + SlotSize;
        }
        else if (offset + text.Length > SlotSize)
        {
            start = (start & ~SlotMask) + SlotSize;
        }

        if ((long)start + text.Length > MaxChars) return false;

        EnsureSlots(start, text.Length);
        var slot = start >> SlotShift;
        text.CopyTo(_slotArrays[slot].AsSpan(start - _slotBases[slot]));
        _end = start + text.Length;
        _ends.Add(_end);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<char> Get(int index)
    {
        var end = _ends[index];
        var previousEnd = index == 0 ? 0 : _ends[index - 1];
        if (end == previousEnd) return [];
        var start = StartOf(previousEnd, end);
        var slot = start >> SlotShift;
        return _slotArrays[slot].AsSpan(start - _slotBases[slot], end - start);
    }

    /// <summary>
    /// Where a text that ends at <paramref name="end"/> starts, given that the text before it ends at
    /// <paramref name="previousEnd"/>: right there if it fits in that slot, or if that is a slot boundary (where a
    /// long text starts); otherwise at the next boundary.
    /// </summary>
    private static int StartOf(int previousEnd, int end)
    {
        var slotStart = previousEnd & ~SlotMask;
        if ((previousEnd & SlotMask) == 0 || end - slotStart <= SlotSize) return previousEnd;
        return slotStart + SlotSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EnsureSlots(int start, int length)
    {
        var firstSlot = start >> SlotShift;
        var lastSlot = (start + length - 1) >> SlotShift;
        if (lastSlot < _slotCount)
        {
            // Only the first slot's array can be shorter than a slot: it starts small and doubles.
            var needed = start + length;
            if (lastSlot == 0 && _slotArrays[0].Length < needed)
            {
                var larger = new char[Math.Min(SlotSize, Math.Max(needed, 2 * _slotArrays[0].Length))];
                _slotArrays[0].AsSpan(0, _end).CopyTo(larger);
                _slotArrays[0] = larger;
            }
            return;
        }

        // Texts are appended in order: a text that needs a new slot starts at the first slot not yet allocated,
        // because the one before it ended in the last allocated slot or exactly at its end.
        Debug.Assert(firstSlot == _slotCount, "A new text starts in the first unallocated slot.");
        var slots = lastSlot - firstSlot + 1;
        var array = firstSlot == 0 && slots == 1
            ? new char[Math.Max(FirstArraySize, (int)BitOperations.RoundUpToPowerOf2((uint)length))]
            : new char[slots << SlotShift];
        while (_slotCount <= lastSlot)
        {
            if (_slotCount == _slotArrays.Length)
            {
                Array.Resize(ref _slotArrays, _slotArrays.Length * 2);
                Array.Resize(ref _slotBases, _slotBases.Length * 2);
            }

            _slotArrays[_slotCount] = array;
            _slotBases[_slotCount] = firstSlot << SlotShift;
            _slotCount++;
        }
    }

    public static TextStore From(IEnumerable<string?> texts)
    {
        var store = new TextStore();
        foreach (var text in texts)
        {
            if (!store.TryAdd(text)) throw new InvalidOperationException("The texts are too long to keep in one column.");
        }
        return store;
    }
}
