using System.Runtime.CompilerServices;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Distinct texts of a column and their codes (0, 1, ... in order of first appearance), looked up by span without
/// making a string. Open addressing with linear probing over a power-of-two table.
/// </summary>
/// <remarks>
/// The hash is seeded per process, and a lookup that probes too far gives up (<see cref="GetOrAdd"/> returns -1) as
/// if the dictionary were full, so texts made to collide cannot slow a read down: the column just keeps its chars.
/// </remarks>
internal sealed class TextDictionary
{
    private const int MaxProbes = 64;
    private static readonly uint Seed = (uint)Random.Shared.Next() | 1;

    private readonly List<string> _values = [];
    private int[] _codes = new int[16];   // code + 1; 0 = empty slot
    private uint[] _hashes = new uint[16];

    public int Count => _values.Count;

    public string this[int code] => _values[code];

    public string[] ToArray() => [.. _values];

    /// <summary>The code of <paramref name="text"/>, adding it if it is new and fewer than <paramref name="limit"/> texts are in; else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<char> text, int limit)
    {
        var hash = Hash(text);
        var mask = _codes.Length - 1;
        var slot = (int)hash & mask;
        for (var probes = 0; probes < MaxProbes; probes++)
        {
            var code = _codes[slot] - 1;
            if (code < 0)
            {
                if (_values.Count >= limit) return -1;
                code = _values.Count;
                _values.Add(text.ToString());
                _codes[slot] = code + 1;
                _hashes[slot] = hash;
                if (_values.Count * 2 > _codes.Length) Grow();
                return code;
            }

            if (_hashes[slot] == hash && Same(text, _values[code])) return code;
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<char> text)
    {
        var hash = 2166136261u ^ Seed;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash ^ (hash >> 15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Same(ReadOnlySpan<char> text, string value)
    {
        if (text.Length != value.Length) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != value[i]) return false;
        }
        return true;
    }

    private void Grow()
    {
        var codes = new int[_codes.Length * 2];
        var hashes = new uint[codes.Length];
        var mask = codes.Length - 1;
        for (var i = 0; i < _codes.Length; i++)
        {
            if (_codes[i] == 0) continue;
            var slot = (int)_hashes[i] & mask;
            while (codes[slot] != 0) slot = (slot + 1) & mask;
            codes[slot] = _codes[i];
            hashes[slot] = _hashes[i];
        }
        _codes = codes;
        _hashes = hashes;
    }
}
