using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class FeatureReferenceTests
{
    [Theory]
    [InlineData(1, 19)]
    [InlineData(7, 3)]
    [InlineData(10, 8)]
    [InlineData(4_999, 19)]
    [InlineData(20_000, 9)]
    public void Edges_and_shares_are_those_of_a_full_sort_with_ties_nan_and_signed_zeros(int rows, int features)
    {
        var random = new Random(rows * 31 + features);
        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        var values = new float[rows * features];
        for (var r = 0; r < rows; r++)
            for (var f = 0; f < features; f++) values[r * features + f] = Value(f, random);
        var matrix = new FeatureMatrix(values, rows, names);

        var reference = FeatureReference.Fit(matrix);

        Assert.Equal(names, reference.Features);
        for (var f = 0; f < features; f++)
        {
            var (edges, shares) = SortedReference(matrix, f);
            Assert.Equal(edges, reference.Edges[f]);
            Assert.Equal(shares, reference.Shares[f]);
        }
    }

    private static float Value(int feature, Random random) => (feature % 7) switch
    {
        0 => random.Next(2),                                                   // two values: most edges repeat
        1 => random.Next(50) == 0 ? float.NaN : (float)random.NextDouble(),    // a few NaN
        2 => random.Next(3) == 0 ? float.NaN : random.Next(5),                 // a third NaN: the first edges are NaN
        3 => float.NaN,                                                        // nothing but NaN
        4 => random.Next(2) == 0 ? -0f : 0f,                                   // zeros of both signs
        5 => 3.5f,                                                             // constant
        _ => (float)(random.NextDouble() * 1e6 - 5e5),
    };

    /// <summary>The edges and shares as first computed: each feature's values sorted (NaN first), the value at every tenth rank.</summary>
    private static (float[] Edges, double[] Shares) SortedReference(FeatureMatrix matrix, int feature)
    {
        var values = Enumerable.Range(0, matrix.Rows).Select(r => matrix[r, feature]).ToArray();
        var sorted = values.Order().ToArray();
        var edges = Enumerable.Range(1, 9).Select(i => sorted[Math.Min(sorted.Length - 1, i * sorted.Length / 10)]).Distinct().ToArray();
        var counts = new long[edges.Length + 1];
        foreach (var value in values)
        {
            var bin = Array.BinarySearch(edges, value);
            counts[bin >= 0 ? bin + 1 : ~bin]++;
        }
        return (edges, [.. counts.Select(c => Math.Max(c / (double)values.Length, 1e-4))]);
    }
}
