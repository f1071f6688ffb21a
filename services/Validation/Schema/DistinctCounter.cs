using System.Runtime.CompilerServices;

namespace Vigil.Validation.Schema;

/// <summary>
/// Counts distinct values from their 64-bit hashes (<see cref="ValueHash"/>) in one pass: an exact open-addressing set of hashes
/// while it holds at most <see cref="ColumnProfile.ExactDistinctCap"/> of them, and a <see cref="HyperLogLog"/> sketch throughout,
/// which gives the count once the set has overflowed. Integer, decimal and timestamp hashes are bijective, so their exact count is
/// exact; for strings two values would have to share a 64-bit hash to be miscounted.
/// </summary>
internal sealed class DistinctCounter
{
    private readonly int _cap;
    private readonly HyperLogLog _sketch = new();
    private ulong[]? _slots = new ulong[1024];  // 0 = empty; the hash 0 is tracked by _hasZero
    private bool _hasZero;
    private int _count;

    public DistinctCounter(int cap = ColumnProfile.ExactDistinctCap) => _cap = cap;

    public bool Approximate => _slots is null;

    public long Count => _slots is null ? _sketch.Estimate() : _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash)
    {
        _sketch.Add(hash);
        if (_slots is { } slots) AddExact(slots, hash);
    }

    private void AddExact(ulong[] slots, ulong hash)
    {
        if (hash == 0)
        {
            if (!_hasZero) { _hasZero = true; Grow(); }
            return;
        }
        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            if (slots[i] == hash) return;
            if (slots[i] != 0) continue;
            slots[i] = hash;
            Grow();
            return;
        }
    }

    private void Grow()
    {
        if (++_count > _cap)
        {
            _slots = null;
            return;
        }
        if (_count * 2 <= _slots!.Length) return;
        var bigger = new ulong[_slots.Length * 2];
        var mask = bigger.Length - 1;
        foreach (var hash in _slots)
        {
            if (hash == 0) continue;
            var i = (int)hash & mask;
            while (bigger[i] != 0) i = (i + 1) & mask;
            bigger[i] = hash;
        }
        _slots = bigger;
    }
}
