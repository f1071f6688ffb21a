namespace Vigil.Scoring.Evaluation;

/// <summary>
/// How surprising one feature's deviation is within a batch: the share of the batch's rows that deviate at least as
/// much (ties count, so the commonest value of a discrete or one-hot feature is no surprise at all), with a fitted
/// <see cref="ParetoTail"/> beyond the top 1% (fitted robustly: the batch holds the anomalies; in a batch too small for
/// that, beyond the top fifth with a deliberately heavy shape) so that a value far beyond every other keeps growing in evidence. Being
/// a distribution of the batch itself, it adapts to skewed, heavy-tailed and few-valued columns alike: no fixed z
/// cut-off and no assumption of normality.
/// </summary>
public sealed class FeatureTail
{
    private readonly float[] _sorted;
    private readonly ParetoTail? _tail;

    private FeatureTail(float[] sorted, ParetoTail? tail)
    {
        _sorted = sorted;
        _tail = tail;
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
        // First index whose value is ≥ deviation: the rows from there on deviate at least as much.
        int low = 0, high = _sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_sorted[middle] < deviation) low = middle + 1;
            else high = middle;
        }
        var atLeast = _sorted.Length - low;
        var n = _sorted.Length;
        // A deviation beyond every fitted one is as rare as n rows can tell (1 in n + 1).
        return atLeast == 0 ? Math.Log(n + 1.0) : -Math.Log((double)atLeast / n);
    }
}
