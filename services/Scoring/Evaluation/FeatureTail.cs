namespace Vigil.Scoring.Evaluation;

/// <summary>
/// How surprising one feature's deviation is within a batch: the share of the batch's rows that deviate at least as
/// much (ties count, so the commonest value of a discrete or one-hot feature is no surprise at all), with a fitted
/// <see cref="ParetoTail"/> beyond the top 1% (fitted robustly: the batch holds the anomalies; in a batch too small for
/// that, beyond the top fifth with a deliberately heavy shape) so that a value far beyond every other keeps growing in evidence. Being
/// a distribution of the batch itself, it adapts to skewed, heavy-tailed and few-valued columns alike: no fixed z
/// cut-off and no assumption of normality.
/// </summary>
/// <remarks>
/// A lookup is made for every feature of every row, so the fitted deviations are kept as their distinct values (those
/// the tail does not take over) with the evidence of each already worked out, and a guide table of equal-width buckets
/// over them: a deviation's bucket says which few distinct values can be the first at least as large, and a short
/// search among those finds it. The evidence is the same, to the bit, as a binary search over every fitted deviation
/// gives.
/// </remarks>
public sealed class FeatureTail
{
    /// <summary>Most buckets of the guide table; fewer when there are fewer distinct deviations.</summary>
    private const int MaxBuckets = 1 << 16;

    private readonly ParetoTail? _tail;

    /// <summary>The distinct fitted deviations up to the tail's start, ascending.</summary>
    private readonly float[] _values;

    /// <summary>
    /// <c>_evidence[k]</c>: the evidence of a deviation whose first fitted value at least as large is <c>_values[k]</c>;
    /// the last entry, of one beyond all of <see cref="_values"/>.
    /// </summary>
    private readonly double[] _evidence;

    /// <summary><c>_bucketFirst[b]</c>: the first of <see cref="_values"/> in bucket b or above (see <see cref="Bucket"/>).</summary>
    private readonly int[] _bucketFirst;

    private readonly double _bucketScale;
    private readonly int _lastBucket;

    private FeatureTail(float[] sorted, ParetoTail? tail)
    {
        _tail = tail;
        var n = sorted.Length;
        // Only deviations up to the tail's start are looked up here; the first fitted one beyond it still gives the
        // evidence of a deviation between the last kept value and the start.
        var kept = tail is null ? n : LowerBound(sorted, tail.Start, strictlyAbove: true);
        var values = new List<float>();
        var evidence = new List<double>();
        for (var i = 0; i < kept; i++)
        {
            if (i > 0 && sorted[i] == sorted[i - 1]) continue;
            values.Add(sorted[i]);
            evidence.Add(-Math.Log((double)(n - i) / n));
        }
        // A deviation beyond every fitted one is as rare as n rows can tell (1 in n + 1).
        evidence.Add(kept < n ? -Math.Log((double)(n - kept) / n) : Math.Log(n + 1.0));
        _values = [.. values];
        _evidence = [.. evidence];

        var buckets = Math.Clamp(_values.Length, 1, MaxBuckets);
        var range = _values.Length > 0 ? (double)_values[^1] - _values[0] : 0;
        _bucketScale = range > 0 && double.IsFinite(range) ? buckets / range : 0;
        _lastBucket = buckets - 1;
        _bucketFirst = new int[buckets + 1];
        var at = 0;
        for (var b = 0; b <= buckets; b++)
        {
            while (at < _values.Length && Bucket(_values[at]) < b) at++;
            _bucketFirst[b] = at;
        }
    }

    /// <summary>Fits on deviations (e.g. |z|) of the batch's rows; NaN is not allowed.</summary>
    public static FeatureTail Fit(ReadOnlySpan<float> deviations)
    {
        if (deviations.IsEmpty) throw new ArgumentException("A tail needs at least one deviation.", nameof(deviations));
        var sorted = deviations.ToArray();
        Array.Sort(sorted);
        if (float.IsNaN(sorted[^1])) throw new ArgumentException("Deviations must not be NaN.", nameof(deviations));
        var tail = sorted.Length >= ParetoTail.MinimumRobustScores ? ParetoTail.FitRobust(sorted) : ParetoTail.FitHeavy(sorted);
        return new FeatureTail(sorted, tail);
    }

    /// <summary>-ln of the share of rows deviating at least as much as <paramref name="deviation"/>, in nats (0 for the commonest).</summary>
    public double Evidence(float deviation)
    {
        if (_tail is not null && deviation > _tail.Start) return _tail.Evidence(deviation);
        return _evidence[FirstAtLeast(deviation)];
    }

    /// <summary>The index of the first of <see cref="_values"/> that is ≥ <paramref name="deviation"/> (their count when none is).</summary>
    private int FirstAtLeast(float deviation)
    {
        var values = _values;
        // At or below the smallest (or NaN, which no comparison holds for): every fitted deviation is at least as large.
        if (values.Length == 0 || !(deviation > values[0])) return 0;
        if (deviation > values[^1]) return values.Length;
        // Buckets grow with the value, so the values of lower buckets are below the deviation and those of higher ones
        // above it: the answer lies among its own bucket's values, or is the next bucket's first.
        var bucket = Bucket(deviation);
        int low = _bucketFirst[bucket], high = _bucketFirst[bucket + 1];
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (values[middle] < deviation) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>The guide table's bucket of a value from the smallest kept one on: never smaller for a larger value.</summary>
    private int Bucket(float value)
    {
        if (_bucketScale == 0) return 0;
        var position = ((double)value - _values[0]) * _bucketScale;
        return position < _lastBucket ? (int)position : _lastBucket;
    }

    /// <summary>The first index of <paramref name="sorted"/> whose value is above <paramref name="value"/> (or ≥ it).</summary>
    private static int LowerBound(float[] sorted, float value, bool strictlyAbove)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] < value || (strictlyAbove && sorted[middle] == value)) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
