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
        var drift = new FeatureDrift(this);
        drift.Add(batch);
        return drift.Psi();
    }

    private static double[] Distribution(ReadOnlySpan<float> values, float[] edges)
    {
        var counts = new long[edges.Length + 1];
        foreach (var value in values) counts[BinOf(edges, value)]++;
        return BinShares(counts, values.Length);
    }

    /// <summary>Each bin's share of the values, never below <see cref="Floor"/> (so the logarithm stays finite).</summary>
    internal static double[] BinShares(long[] counts, int total)
    {
        var shares = new double[counts.Length];
        for (var b = 0; b < counts.Length; b++) shares[b] = Math.Max(counts[b] / (double)Math.Max(total, 1), Floor);
        return shares;
    }

    /// <summary>
    /// The bin of <paramref name="value"/>: Array.BinarySearch's own halving with float.CompareTo (so NaN and ties land
    /// exactly where they always did), without its generic comparer call per step.
    /// </summary>
    internal static int BinOf(float[] edges, float value)
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
