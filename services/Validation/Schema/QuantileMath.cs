using System.Numerics;

namespace Vigil.Validation.Schema;

/// <summary>
/// Quantiles by linear interpolation between order statistics (Hyndman–Fan type 7, numpy's default), found by quickselect:
/// only the order statistics needed are put in place, instead of sorting everything.
/// </summary>
internal static class QuantileMath
{
    public static double OfSorted<T>(ReadOnlySpan<T> sorted, double p) where T : unmanaged, INumber<T>
    {
        if (sorted.IsEmpty) throw new ArgumentException("No values to take a quantile of.", nameof(sorted));
        var h = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(h);
        var low = double.CreateTruncating(sorted[lower]);
        if (lower >= sorted.Length - 1) return low;
        return low + (h - lower) * (double.CreateTruncating(sorted[lower + 1]) - low);
    }

    /// <summary>The quantiles at <paramref name="levels"/> (ascending, 0..1) of <paramref name="values"/>, which it reorders.</summary>
    public static double[] Of<T>(Span<T> values, IReadOnlyList<double> levels) where T : unmanaged, INumber<T>
    {
        if (values.IsEmpty) throw new ArgumentException("No values to take a quantile of.", nameof(values));
        var result = new double[levels.Count];
        var selected = -1;
        for (var q = 0; q < levels.Count; q++)
        {
            var h = (values.Length - 1) * levels[q];
            var lower = (int)Math.Floor(h);
            var (low, next) = OrderStatistics(values, lower, ref selected);
            result[q] = h == lower ? double.CreateTruncating(low) : double.CreateTruncating(low) + (h - lower) * (double.CreateTruncating(next) - double.CreateTruncating(low));
        }
        return result;
    }

    /// <summary>The k-th and (k+1)-th smallest values (0-based; the k-th twice when k is the last), reordering <paramref name="values"/>.</summary>
    public static (T Kth, T Next) OrderStatistics<T>(Span<T> values, int k) where T : unmanaged, INumber<T>
    {
        var selected = -1;
        return OrderStatistics(values, k, ref selected);
    }

    /// <param name="selected">The position last put in place by an earlier call on the same values with a smaller or equal k, or -1:
    /// everything before it is already not greater than anything after it.</param>
    private static (T Kth, T Next) OrderStatistics<T>(Span<T> values, int k, ref int selected) where T : unmanaged, INumber<T>
    {
        if (k != selected)
        {
            Select(values, Math.Max(selected, 0), values.Length - 1, k);
            selected = k;
        }
        var kth = values[k];
        if (k >= values.Length - 1) return (kth, kth);
        // The next order statistic is the smallest value after k.
        var next = values[k + 1];
        foreach (var v in values[(k + 2)..])
        {
            if (v < next) next = v;
        }
        return (kth, next);
    }

    /// <summary>Puts the k-th smallest of values[left..right] at k, smaller-or-equal before it and greater-or-equal after it.</summary>
    private static void Select<T>(Span<T> values, int left, int right, int k) where T : unmanaged, INumber<T>
    {
        while (right > left)
        {
            // Median of three as the pivot, Hoare partitioning (copes with runs of equal values).
            var mid = left + (right - left) / 2;
            if (values[mid] < values[left]) Swap(values, mid, left);
            if (values[right] < values[left]) Swap(values, right, left);
            if (values[right] < values[mid]) Swap(values, right, mid);
            var pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { Swap(values, i, j); i++; j--; }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return;
        }
    }

    private static void Swap<T>(Span<T> values, int a, int b) => (values[a], values[b]) = (values[b], values[a]);
}
