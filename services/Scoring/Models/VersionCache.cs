namespace Vigil.Scoring.Models;

/// <summary>
/// What a process keeps of model versions, with bounds: at most <see cref="Capacity"/> entries, and none idle for longer
/// than <see cref="IdleLimit"/>. The least recently used entry goes first; every eviction is handed to the owner, which
/// releases what the value holds (ONNX sessions). Without bounds every version ever trained or scored stayed resident.
/// </summary>
public sealed class VersionCache<TKey, TValue>(int capacity, TimeSpan idleLimit, TimeProvider clock, Action<TValue>? onEvicted = null)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _byRecency = new();

    private sealed record Entry(TKey Key, TValue Value)
    {
        public DateTimeOffset LastUsed { get; set; }
    }

    public int Capacity => capacity;

    public TimeSpan IdleLimit => idleLimit;

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>The value under <paramref name="key"/>, added with <paramref name="create"/> when absent; either way it becomes the most recent.</summary>
    /// <param name="onUse">Runs under the cache's lock with the value returned, so an eviction cannot slip in between (used to count leases).</param>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create, Action<TValue>? onUse = null)
    {
        List<TValue> evicted;
        TValue value;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var node)) _byRecency.Remove(node);
            else _entries[key] = node = new LinkedListNode<Entry>(new Entry(key, create(key)));
            node.Value.LastUsed = now;
            _byRecency.AddFirst(node);
            value = node.Value.Value;
            onUse?.Invoke(value);
            evicted = EvictLocked(now);
        }
        Release(evicted);
        return value;
    }

    public bool TryGet(TKey key, out TValue value)
    {
        List<TValue> evicted;
        var found = false;
        value = default!;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var node) && now - node.Value.LastUsed <= idleLimit)
            {
                _byRecency.Remove(node);
                node.Value.LastUsed = now;
                _byRecency.AddFirst(node);
                value = node.Value.Value;
                found = true;
            }
            evicted = EvictLocked(now);
        }
        Release(evicted);
        return found;
    }

    public void Set(TKey key, TValue value)
    {
        List<TValue> evicted;
        lock (_gate)
        {
            var replaced = _entries.Remove(key, out var old) ? old : null;
            if (replaced is not null) _byRecency.Remove(replaced);
            var node = new LinkedListNode<Entry>(new Entry(key, value) { LastUsed = clock.GetUtcNow() });
            _entries[key] = node;
            _byRecency.AddFirst(node);
            evicted = EvictLocked(node.Value.LastUsed);
            if (replaced is not null && !ReferenceEquals(replaced.Value.Value, value)) evicted.Add(replaced.Value.Value);
        }
        Release(evicted);
    }

    /// <summary>Drops every entry whose key matches (a dataset's versions when its model changes hands).</summary>
    public void RemoveWhere(Func<TKey, bool> match)
    {
        List<TValue> evicted = [];
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(match).ToList())
            {
                _entries.Remove(key, out var node);
                _byRecency.Remove(node!);
                evicted.Add(node!.Value.Value);
            }
        }
        Release(evicted);
    }

    /// <summary>Evicts idle entries now, without waiting for the next lookup.</summary>
    public void Trim()
    {
        List<TValue> evicted;
        lock (_gate) evicted = EvictLocked(clock.GetUtcNow());
        Release(evicted);
    }

    /// <summary>Every value still held, for the owner's disposal at shutdown.</summary>
    public IReadOnlyList<TValue> Values()
    {
        lock (_gate) return [.. _byRecency.Select(e => e.Value)];
    }

    private List<TValue> EvictLocked(DateTimeOffset now)
    {
        List<TValue> evicted = [];
        while (_byRecency.Last is { } oldest && (_entries.Count > capacity || now - oldest.Value.LastUsed > idleLimit))
        {
            _byRecency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
            evicted.Add(oldest.Value.Value);
        }
        return evicted;
    }

    private void Release(List<TValue> evicted)
    {
        if (onEvicted is null) return;
        foreach (var value in evicted) onEvicted(value);
    }
}
