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
        var result = new Dictionary<string, double>(Features.Count);
        var values = new float[batch.Rows];
        for (var f = 0; f < Features.Count && f < batch.Columns; f++)
        {
            for (var r = 0; r < batch.Rows; r++) values[r] = batch[r, f];
            var actual = Distribution(values, Edges[f]);
            var expected = Shares[f];
            var psi = 0.0;
            for (var b = 0; b < expected.Length; b++) psi += (actual[b] - expected[b]) * Math.Log(actual[b] / expected[b]);
            result[Features[f]] = Math.Round(psi, 4);
        }
        return result;
    }

    private static double[] Distribution(ReadOnlySpan<float> values, float[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var value in values)
        {
            var bin = Array.BinarySearch(edges, value);
            counts[bin >= 0 ? bin + 1 : ~bin]++;
        }
        for (var b = 0; b < counts.Length; b++) counts[b] = Math.Max(counts[b] / Math.Max(values.Length, 1), Floor);
        return counts;
    }
}
