using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// A batch's features counted into the reference's bins as they come (the whole batch at once, or a chunk of rows at a
/// time), then the population stability index of each feature against the training distribution
/// (<see cref="FeatureReference.Psi"/>). Bin counts are whole numbers, so the order the rows come in changes nothing.
/// </summary>
public sealed class FeatureDrift(FeatureReference reference)
{
    private const int BlockRows = 16_384;

    private long[][]? _counts;
    private long _rows;

    /// <summary>Counts every row of <paramref name="features"/> (rows of the same batch; the first call fixes the features compared).</summary>
    public void Add(FeatureMatrix features)
    {
        var edges = reference.Edges.Take(Math.Min(reference.Features.Count, features.Columns)).ToArray();
        var counts = _counts ??= NewCounts(edges);
        if (counts.Length != edges.Length)
            throw new ArgumentException($"These rows have {features.Columns} features; the rows counted before had {counts.Length} compared.", nameof(features));
        // One pass over the rows (the matrix is row-major: a pass per feature would read all of it once per feature),
        // in blocks on the thread pool, each block counting into its own arrays.
        Parallel.For(0, (features.Rows + BlockRows - 1) / BlockRows, () => NewCounts(edges), (block, _, local) =>
        {
            var end = Math.Min(features.Rows, (block + 1) * BlockRows);
            for (var r = block * BlockRows; r < end; r++)
            {
                var row = features.Row(r);
                for (var f = 0; f < edges.Length; f++) local[f][FeatureReference.BinOf(edges[f], row[f])]++;
            }
            return local;
        }, local =>
        {
            lock (counts)
            {
                for (var f = 0; f < counts.Length; f++)
                {
                    for (var b = 0; b < local[f].Length; b++) counts[f][b] += local[f][b];
                }
            }
        });
        _rows += features.Rows;
    }

    /// <summary>PSI of each feature counted so far, PSI = sum over bins of (a - e) ln(a / e), rounded to 4 decimals.</summary>
    public IReadOnlyDictionary<string, double> Psi()
    {
        var counts = _counts ?? [];
        var result = new Dictionary<string, double>(counts.Length);
        for (var f = 0; f < counts.Length; f++)
        {
            var actual = FeatureReference.BinShares(counts[f], checked((int)_rows));
            var expected = reference.Shares[f];
            var psi = 0.0;
            for (var b = 0; b < expected.Length; b++) psi += (actual[b] - expected[b]) * Math.Log(actual[b] / expected[b]);
            result[reference.Features[f]] = Math.Round(psi, 4);
        }
        return result;
    }

    private static long[][] NewCounts(float[][] edges) => [.. edges.Select(e => new long[e.Length + 1])];
}
