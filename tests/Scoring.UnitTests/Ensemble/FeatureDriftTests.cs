using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class FeatureDriftTests
{
    [Fact]
    public void Psi_in_parallel_equals_the_sequential_binary_search_reference_with_ties_and_nan()
    {
        var random = new Random(11);
        string[] names = ["a", "b", "c", "d", "e", "f"];
        var training = Matrix(names, 3_000, random, shift: 0);
        var reference = FeatureReference.Fit(training);
        var batch = Matrix(names, 5_000, random, shift: 0.7f);

        var psi = reference.Psi(batch);

        Assert.Equal(names, psi.Keys);
        for (var f = 0; f < names.Length; f++) Assert.Equal(Reference(reference, batch, f), psi[names[f]]);
        Assert.Contains(psi.Values, value => value > 0.05);
    }

    private static FeatureMatrix Matrix(string[] names, int rows, Random random, float shift)
    {
        var values = new float[rows * names.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < names.Length; f++)
            {
                values[r * names.Length + f] = f switch
                {
                    0 => random.Next(2),                                     // 0/1: edges with ties, values on the edges
                    1 => random.Next(50) == 0 ? float.NaN : (float)random.NextDouble() + shift,
                    2 => MathF.Round((float)random.NextDouble() * 4) / 4,  // few distinct values
                    _ => (float)(random.NextDouble() * f) + shift * f,
                };
            }
        }
        return new FeatureMatrix(values, rows, names);
    }

    /// <summary>PSI of one feature as it was computed before: Array.BinarySearch into the training edges, one feature after another.</summary>
    private static double Reference(FeatureReference reference, FeatureMatrix batch, int f)
    {
        var edges = reference.Edges[f];
        var counts = new double[edges.Length + 1];
        for (var r = 0; r < batch.Rows; r++)
        {
            var bin = Array.BinarySearch(edges, batch[r, f]);
            counts[bin >= 0 ? bin + 1 : ~bin]++;
        }
        for (var b = 0; b < counts.Length; b++) counts[b] = Math.Max(counts[b] / batch.Rows, 1e-4);
        var psi = 0.0;
        for (var b = 0; b < counts.Length; b++) psi += (counts[b] - reference.Shares[f][b]) * Math.Log(counts[b] / reference.Shares[f][b]);
        return Math.Round(psi, 4);
    }
}
