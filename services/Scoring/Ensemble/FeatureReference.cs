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

    /// <summary>Features read out of the row-major matrix together, in one pass over its rows.</summary>
    private const int FeaturesPerPass = 8;

    /// <summary>
    /// Each feature's decile edges (the values at ranks n/10, 2n/10, ... of its sorted training values, NaN sorting
    /// first as <see cref="float.CompareTo(float)"/> orders it, repeated edges once) and its share of values per bin.
    /// The ranks are found by selection, not a sort, and groups of features in parallel.
    /// </summary>
    public static FeatureReference Fit(FeatureMatrix training)
    {
        var edges = new float[training.Columns][];
        var shares = new double[training.Columns][];
        var groups = (training.Columns + FeaturesPerPass - 1) / FeaturesPerPass;
        Parallel.For(0, groups, () => (Columns: NewColumns(training.Rows), Work: new float[training.Rows]), (group, _, buffers) =>
        {
            var first = group * FeaturesPerPass;
            var count = Math.Min(FeaturesPerPass, training.Columns - first);
            for (var r = 0; r < training.Rows; r++)
            {
                var row = training.Row(r).Slice(first, count);
                for (var c = 0; c < count; c++) buffers.Columns[c][r] = row[c];
            }
            for (var c = 0; c < count; c++)
            {
                edges[first + c] = DecileEdges(buffers.Columns[c], buffers.Work);
                shares[first + c] = Distribution(buffers.Columns[c], edges[first + c]);
            }
            return buffers;
        }, _ => { });
        return new FeatureReference(training.FeatureNames, edges, shares);
    }

    private static float[][] NewColumns(int rows) => [.. Enumerable.Range(0, FeaturesPerPass).Select(_ => new float[rows])];

    private static float[] DecileEdges(float[] values, float[] work)
    {
        var numbers = 0;
        foreach (var value in values)
            if (!float.IsNaN(value)) work[numbers++] = value;
        var nans = values.Length - numbers;
        var ranks = Enumerable.Range(1, Bins - 1).Select(i => Math.Min(values.Length - 1, i * values.Length / Bins)).ToArray();
        Quantiles.SelectRanks(work.AsSpan(0, numbers), [.. ranks.Where(r => r >= nans).Select(r => r - nans).Distinct()]);
        return [.. ranks.Select(r => r < nans ? float.NaN : work[r - nans]).Distinct()];
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
