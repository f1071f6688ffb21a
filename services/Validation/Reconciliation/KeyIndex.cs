namespace Vigil.Validation.Reconciliation;

/// <summary>
/// Open-addressing hash index from key to the first row holding it, on one side. Hashes are only a filter:
/// a slot is a match when the hashes agree and <see cref="KeyPlan.Equal"/> confirms the typed values.
/// </summary>
internal sealed class KeyIndex
{
    private readonly Slot[] _slots;    // hash and row side by side: one cache line read per probe
    private readonly int _slotMask;
    private readonly KeyPlan _plan;
    private readonly int _side;

    public KeyIndex(KeyPlan plan, int side, int capacity)
    {
        var slots = 16;
        while (slots < capacity + capacity / 2 + 1) slots <<= 1;
        _slots = new Slot[slots];
        _slotMask = slots - 1;
        _plan = plan;
        _side = side;
    }

    /// <summary>Adds the row unless an earlier row has its key; returns that earlier row, or -1 when added.</summary>
    public int AddOrGetExisting(ulong hash, int row)
    {
        var slot = (int)hash & _slotMask;
        while (_slots[slot].RowPlusOne != 0)
        {
            var existing = _slots[slot].RowPlusOne - 1;
            if (_slots[slot].Hash == hash && _plan.Equal(_side, existing, _side, row)) return existing;
            slot = (slot + 1) & _slotMask;
        }

        _slots[slot] = new Slot(hash, row + 1);
        return -1;
    }

    /// <summary>The indexed row whose key equals the given row's (of <paramref name="side"/>), or -1.</summary>
    public int Find(ulong hash, int side, int row)
    {
        var slot = (int)hash & _slotMask;
        while (_slots[slot].RowPlusOne != 0)
        {
            var candidate = _slots[slot].RowPlusOne - 1;
            if (_slots[slot].Hash == hash && _plan.Equal(_side, candidate, side, row)) return candidate;
            slot = (slot + 1) & _slotMask;
        }

        return -1;
    }

    /// <summary>An occupied slot has <see cref="RowPlusOne"/> above 0.</summary>
    private readonly record struct Slot(ulong Hash, int RowPlusOne);
}
