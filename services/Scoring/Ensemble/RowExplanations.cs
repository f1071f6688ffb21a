using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Each row's strongest source columns (up to <see cref="Count"/>, strongest first), reduced from the explaining
/// detector's per-feature contributions as they are produced, so a batch never holds a rows x features array of them
/// (154 MB for 600,000 rows of 64 features).
/// </summary>
public sealed class RowExplanations
{
    public const int Count = 3;

    private const int RowsPerBlock = 4096;

    private readonly short[] _columns;
    private readonly int[] _columnOf;

    public RowExplanations(int rows, IReadOnlyList<FeatureSource> sources)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        _columnOf = new int[sources.Count];
        for (var f = 0; f < sources.Count; f++)
        {
            var column = sources[f].Column;
            if (!index.TryGetValue(column, out var i)) index[column] = i = index.Count;
            _columnOf[f] = i;
        }
        Names = [.. index.OrderBy(p => p.Value).Select(p => p.Key)];
        if (Names.Count > short.MaxValue) throw new ArgumentException($"{Names.Count} source columns are more than an explanation can index.", nameof(sources));
        _columns = new short[rows * Count];
        Array.Fill(_columns, (short)-1);
    }

    /// <summary>The distinct source columns of the features, in order of first appearance: what the indices point into.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Takes the contributions of rows <paramref name="first"/> onwards (row-major, one value per feature): each row's
    /// contributions summed per source column, then the strongest positive ones, equal sums in the columns' order.
    /// </summary>
    public void Add(float[] contributions, int first)
    {
        var width = _columnOf.Length;
        var rows = contributions.Length / width;
        Parallel.For(0, (rows + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            Span<float> sums = Names.Count <= 512 ? stackalloc float[Names.Count] : new float[Names.Count];
            Span<bool> taken = Names.Count <= 512 ? stackalloc bool[Names.Count] : new bool[Names.Count];
            var end = Math.Min(rows, (block + 1) * RowsPerBlock);
            for (var row = block * RowsPerBlock; row < end; row++)
                Select(contributions.AsSpan(row * width, width), sums, taken, _columns.AsSpan((first + row) * Count, Count));
        });
    }

    /// <summary>
    /// Takes another batch's explanations as rows <paramref name="first"/> onwards of this one: a chunk of rows explained
    /// on its own, over the same features.
    /// </summary>
    public void CopyFrom(RowExplanations chunk, int first)
    {
        if (!chunk.Names.SequenceEqual(Names, StringComparer.Ordinal))
            throw new ArgumentException("The chunk's explanations are over other columns.", nameof(chunk));
        chunk._columns.CopyTo(_columns.AsSpan(first * Count));
    }

    /// <summary>Writes the row's column indices (strongest first) into <paramref name="top"/>; returns how many.</summary>
    public int Top(int row, Span<int> top)
    {
        var found = 0;
        var stored = _columns.AsSpan(row * Count, Count);
        for (var k = 0; k < Math.Min(top.Length, Count) && stored[k] >= 0; k++) top[found++] = stored[k];
        return found;
    }

    private void Select(ReadOnlySpan<float> contributions, Span<float> sums, Span<bool> taken, Span<short> top)
    {
        sums.Clear();
        for (var f = 0; f < contributions.Length; f++) sums[_columnOf[f]] += contributions[f];
        taken.Clear();
        var found = 0;
        // A stable descending sort by selection (Count is small); a column adds only when its sum is positive.
        for (var k = 0; k < Math.Min(Count, sums.Length); k++)
        {
            var best = -1;
            for (var c = 0; c < sums.Length; c++)
            {
                if (!taken[c] && (best < 0 || sums[c].CompareTo(sums[best]) > 0)) best = c;
            }
            taken[best] = true;
            if (sums[best] > 0) top[found++] = (short)best;
        }
    }
}
