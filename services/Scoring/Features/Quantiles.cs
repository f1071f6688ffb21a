using System.Numerics;

namespace Vigil.Scoring.Features;

/// <summary>
/// Order statistics in O(n) by selection (no full sort). Quantiles interpolate linearly between order statistics
/// (Hyndman-Fan type 7, numpy's default), so the median of an even count is the mean of the two middle values.
/// </summary>
internal static class Quantiles
{
    private const int InsertionSortLimit = 16;

    /// <summary>The <paramref name="p"/>-quantile of <paramref name="values"/> (reordered in place; no NaN allowed).</summary>
    public static double OfUnsorted<T>(Span<T> values, double p) where T : unmanaged, INumber<T>
    {
        Span<double> result = stackalloc double[1];
        OfUnsorted(values, [p], result);
        return result[0];
    }

    /// <summary>
    /// Several quantiles of <paramref name="values"/> at once (reordered in place; no NaN allowed): each order statistic
    /// is selected within the range its neighbours left, so three quartiles cost about two passes, not three.
    /// </summary>
    public static void OfUnsorted<T>(Span<T> values, ReadOnlySpan<double> ps, Span<double> results) where T : unmanaged, INumber<T>
    {
        if (values.IsEmpty) throw new ArgumentException("A quantile needs at least one value.", nameof(values));
        var ranks = new List<int>(2 * ps.Length);
        foreach (var p in ps)
        {
            if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(ps), p, "A quantile's probability lies in [0, 1].");
            var lower = (int)Math.Floor((values.Length - 1) * p);
            ranks.Add(lower);
            if (lower + 1 < values.Length) ranks.Add(lower + 1);
        }
        ranks.Sort();
        var distinct = ranks.Distinct().ToArray();
        SelectMany(values, 0, values.Length - 1, distinct);

        for (var i = 0; i < ps.Length; i++)
        {
            var position = (values.Length - 1) * ps[i];
            var lower = (int)Math.Floor(position);
            var fraction = position - lower;
            var low = double.CreateTruncating(values[lower]);
            results[i] = fraction == 0 || lower + 1 >= values.Length
                ? low
                : low + fraction * (double.CreateTruncating(values[lower + 1]) - low);
        }
    }

    /// <summary>
    /// The median of <paramref name="values"/> (no NaN allowed), the same value as <see cref="OfUnsorted{T}(Span{T}, double)"/>
    /// at 0.5, leaving them in some other order: for an even count, the upper middle value is the smallest above the
    /// lower one's place, found by a scan instead of a second selection.
    /// </summary>
    public static double Median<T>(Span<T> values) where T : unmanaged, INumber<T>
    {
        if (values.IsEmpty) throw new ArgumentException("A median needs at least one value.", nameof(values));
        var lower = (values.Length - 1) / 2;
        var low = double.CreateTruncating(Select(values, lower));
        if (values.Length % 2 == 1) return low;
        var upper = values[lower + 1];
        foreach (var v in values[(lower + 2)..]) if (v < upper) upper = v;
        return low + 0.5 * (double.CreateTruncating(upper) - low);
    }

    /// <summary>
    /// Reorders <paramref name="values"/> (no NaN allowed) so that each of the ascending, distinct
    /// <paramref name="ranks"/> holds the value a sort would put there.
    /// </summary>
    public static void SelectRanks<T>(Span<T> values, ReadOnlySpan<int> ranks) where T : unmanaged, INumber<T> =>
        SelectMany(values, 0, values.Length - 1, ranks);

    /// <summary>Puts each of the (ascending) <paramref name="ranks"/> in place within [lo, hi].</summary>
    private static void SelectMany<T>(Span<T> values, int lo, int hi, ReadOnlySpan<int> ranks) where T : unmanaged, INumber<T>
    {
        if (ranks.IsEmpty || lo >= hi) return;
        var middle = ranks.Length / 2;
        var rank = ranks[middle];
        Select(values[lo..(hi + 1)], rank - lo);
        SelectMany(values, lo, rank - 1, ranks[..middle]);
        SelectMany(values, rank + 1, hi, ranks[(middle + 1)..]);
    }

    /// <summary>The <paramref name="p"/>-quantile of values already sorted ascending.</summary>
    public static double OfSorted<T>(ReadOnlySpan<T> sorted, double p) where T : unmanaged, INumber<T>
    {
        if (sorted.IsEmpty) throw new ArgumentException("A quantile needs at least one value.", nameof(sorted));
        var position = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(position);
        var fraction = position - lower;
        var low = double.CreateTruncating(sorted[lower]);
        if (fraction == 0 || lower + 1 >= sorted.Length) return low;
        return low + fraction * (double.CreateTruncating(sorted[lower + 1]) - low);
    }

    /// <summary>The k-th smallest value (0-based); reorders <paramref name="values"/> so that it sits at index k.</summary>
    public static T Select<T>(Span<T> values, int k) where T : unmanaged, INumber<T>
    {
        var lo = 0;
        var hi = values.Length - 1;
        var rounds = 0;
        while (hi > lo)
        {
            if (hi - lo < InsertionSortLimit || ++rounds > 64)
            {
                // Small ranges, or a pathological input that keeps splitting badly: finish with a sort.
                values[lo..(hi + 1)].Sort();
                return values[k];
            }

            var mid = lo + ((hi - lo) >> 1);
            if (values[mid] < values[lo]) (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi] < values[lo]) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[mid]) (values[hi], values[mid]) = (values[mid], values[hi]);
            var pivot = values[mid];

            // Hoare partition: equal values are swapped to both sides, which keeps repeated values balanced.
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k];
        }
        return values[k];
    }
}
