using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Each feature's distribution on the training records (decile bins), kept with the model so every scored batch can
/// be compared with it: the population stability index per feature, PSI = sum over bins of (a - e) ln(a / e).
/// </summary>
public sealed record FeatureReference(IReadOnlyList<string> Features, IReadOnlyList<float[]> Edges, IReadOnlyList<double[]> Shares)
{
    private const int Bins = 10;
    private const double Floor = 1e-4;

    public static FeatureReference Fit(FeatureMatrix training)
    {
        var edges = new List<float[]>();
        var shares = new List<double[]>();
        var values = new float[training.Rows];
        for (var f = 0; f < training.Columns; f++)
        {
            for (var r = 0; r < training.Rows; r++) values[r] = training[r, f];
            var sorted = values.Order().ToArray();
            var cut = Enumerable.Range(1, Bins - 1).Select(i => sorted[Math.Min(sorted.Length - 1, i * sorted.Length / Bins)]).Distinct().ToArray();
            edges.Add(cut);
            shares.Add(Distribution(values, cut));
        }
        return new FeatureReference(training.FeatureNames, edges, shares);
    }

    /// <summary>PSI of every feature of <paramref name="batch"/> against the training distribution.</summary>
    public IReadOnlyDictionary<string, double> Psi(FeatureMatrix batch)
    {
        var count = Math.Min(Features.Count, batch.Columns);
        var psis = new double[count];
        // Features are independent: each is binned on its own thread-pool thread, and the result is filled in feature order.
        Parallel.For(0, count, () => new float[batch.Rows], (f, _, values) =>
        {
            for (var r = 0; r < batch.Rows; r++) values[r] = batch[r, f];
            var actual = Distribution(values, Edges[f]);
            var expected = Shares[f];
            var psi = 0.0;
            for (var b = 0; b < expected.Length; b++) psi += (actual[b] - expected[b]) * Math.Log(actual[b] / expected[b]);
            psis[f] = Math.Round(psi, 4);
            return values;
        }, _ => { });
        var result = new Dictionary<string, double>(count);
        for (var f = 0; f < count; f++) result[Features[f]] = psis[f];
        return result;
    }

    private static double[] Distribution(ReadOnlySpan<float> values, float[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var value in values) counts[BinOf(edges, value)]++;
        for (var b = 0; b < counts.Length; b++) counts[b] = Math.Max(counts[b] / Math.Max(values.Length, 1), Floor);
        return counts;
    }

    /// <summary>
    /// The bin of <paramref name="value"/>: Array.BinarySearch's own halving with float.CompareTo (so NaN and ties land
    /// exactly where they always did), without its generic comparer call per step.
    /// </summary>
    private static int BinOf(float[] edges, float value)
    {
        var low = 0;
        var high = edges.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = edges[middle].CompareTo(value);
            if (order == 0) return middle + 1;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return low;
    }
}
