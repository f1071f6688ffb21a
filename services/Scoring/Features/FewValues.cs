namespace Vigil.Scoring.Features;

/// <summary>
/// A column that holds only a few distinct values (a one-hot or indicator feature, a constant), kept as those values in
/// ascending order with how often each occurs: its order statistics come from the counts, one pass over the column
/// instead of selections over it, and are the very values <see cref="Quantiles"/> gives (0 and -0, equal as numbers,
/// count as one value, whichever comes first).
/// </summary>
internal sealed class FewValues
{
    /// <summary>Most distinct values counted; a column with more is left to <see cref="Quantiles"/>.</summary>
    public const int MaxDistinct = 4;

    private readonly float[] _values;
    private readonly int[] _counts;

    private FewValues(ReadOnlySpan<float> values, ReadOnlySpan<int> counts)
    {
        // At most MaxDistinct entries: sorted by insertion, equal values merged.
        var sorted = new List<(float Value, int Count)>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var at = 0;
            while (at < sorted.Count && sorted[at].Value < values[i]) at++;
            if (at < sorted.Count && sorted[at].Value == values[i]) sorted[at] = (values[i], sorted[at].Count + counts[i]);
            else sorted.Insert(at, (values[i], counts[i]));
        }
        _values = [.. sorted.Select(s => s.Value)];
        _counts = [.. sorted.Select(s => s.Count)];
        Count = _counts.Sum();
    }

    /// <summary>How many values the column holds.</summary>
    public int Count { get; }

    /// <summary>The column's distinct values, or null when it is empty, holds NaN or has more than <see cref="MaxDistinct"/>.</summary>
    public static FewValues? TryCount(ReadOnlySpan<float> column)
    {
        Span<float> distinct = stackalloc float[MaxDistinct];
        Span<int> counts = stackalloc int[MaxDistinct];
        var found = 0;
        foreach (var value in column)
        {
            var k = 0;
            while (k < found && distinct[k] != value) k++;
            if (k == found)
            {
                if (found == MaxDistinct || float.IsNaN(value)) return null;
                distinct[found++] = value;
            }
            counts[k]++;
        }
        return found == 0 ? null : new FewValues(distinct[..found], counts[..found]);
    }

    /// <summary>As <see cref="Quantiles.Median{T}"/>: for an even count, halfway between the two middle values.</summary>
    public double Median() => Quantile(0.5);

    /// <summary>As <see cref="Quantiles.OfUnsorted{T}(Span{T}, double)"/>: linear between order statistics (type 7).</summary>
    public double Quantile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var position = (Count - 1) * p;
        var lower = (int)Math.Floor(position);
        var fraction = position - lower;
        var low = (double)At(lower);
        return fraction == 0 || lower + 1 >= Count ? low : low + fraction * ((double)At(lower + 1) - low);
    }

    /// <summary>The column's absolute deviations from <paramref name="center"/>, each as the float <c>(float)|x - center|</c>.</summary>
    public FewValues AbsoluteDeviations(double center)
    {
        Span<float> deviations = stackalloc float[_values.Length];
        for (var i = 0; i < _values.Length; i++) deviations[i] = (float)Math.Abs(_values[i] - center);
        return new FewValues(deviations, _counts);
    }

    /// <summary>The value a sort would put at <paramref name="rank"/> (0-based).</summary>
    private float At(int rank)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (rank < _counts[i]) return _values[i];
            rank -= _counts[i];
        }
        throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The column holds {Count} values.");
    }
}
