using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Synthetic anomalies for choosing ensemble weights without labels, in four equal parts so that no one kind of
/// anomaly (and so no one detector) decides the weights alone:
/// <list type="bullet">
/// <item>column swaps (<see cref="ColumnSwapPerturbation"/>): ordinary values, broken relations between columns;</item>
/// <item>out-of-range values: one numeric value moved beyond the range of the normal rows by 10-100% of that range;</item>
/// <item>rare categories: one column's features taken from a donor row whose value of that column is among the rarest;</item>
/// <item>scattered points: every column's features from its own random donor row, so each value is ordinary but the
/// row as a whole lies nowhere near the normal rows' joint distribution (a rough sample of the feature box).</item>
/// </list>
/// A column's features always move together, so no impossible encoding gives a synthetic row away.
/// </summary>
public static class SyntheticAnomalies
{
    public static FeatureMatrix Create(FeatureMatrix normal, IReadOnlyList<FeatureSource> sources, int count, int seed)
    {
        if (sources.Count != normal.Columns) throw new ArgumentException("One source per feature is needed.", nameof(sources));
        if (normal.Rows < 2) throw new ArgumentException("Synthetic anomalies need at least 2 normal rows.", nameof(normal));
        var groups = sources.Select((s, f) => (s.Column, Feature: f)).GroupBy(p => p.Column).Select(g => g.Select(p => p.Feature).ToArray()).ToArray();
        var numeric = Enumerable.Range(0, normal.Columns)
            .Where(f => sources[f] is { Encoding: FeatureEncoding.Numeric, Kind: FeatureKind.Value }).ToArray();
        var ranges = numeric.Select(f => Range(normal, f)).ToArray();
        var rareDonors = groups.Select(g => RareRows(normal, g)).ToArray();
        var random = new Random(seed);

        var swaps = ColumnSwapPerturbation.Create(normal, sources, count / 4 + 1, seed);
        var columns = normal.Columns;
        var values = new float[count * columns];
        for (var i = 0; i < count; i++)
        {
            var target = values.AsSpan(i * columns, columns);
            normal.Row(random.Next(normal.Rows)).CopyTo(target);
            switch (i % 4)
            {
                case 0:
                    swaps.Row(i / 4).CopyTo(target);
                    break;
                case 1 when numeric.Length > 0:
                    var pick = random.Next(numeric.Length);
                    var (low, high) = ranges[pick];
                    var width = Math.Max(high - low, 1e-3);
                    var beyond = width * (0.1 + 0.9 * random.NextDouble());
                    target[numeric[pick]] = (float)(random.Next(2) == 0 ? high + beyond : low - beyond);
                    break;
                case 2 when rareDonors.Any(d => d.Length > 0):
                    int g;
                    do g = random.Next(groups.Length); while (rareDonors[g].Length == 0);
                    var donor = normal.Row(rareDonors[g][random.Next(rareDonors[g].Length)]);
                    foreach (var feature in groups[g]) target[feature] = donor[feature];
                    break;
                default:
                    foreach (var group in groups)
                    {
                        var scattered = normal.Row(random.Next(normal.Rows));
                        foreach (var feature in group) target[feature] = scattered[feature];
                    }
                    break;
            }
        }
        return new FeatureMatrix(values, count, normal.FeatureNames);
    }

    private static (double Low, double High) Range(FeatureMatrix matrix, int feature)
    {
        double low = double.MaxValue, high = double.MinValue;
        for (var r = 0; r < matrix.Rows; r++)
        {
            var v = matrix[r, feature];
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        return (low, high);
    }

    /// <summary>Rows whose encoding of the group is shared by at most 1% of rows (at least one row): its rare values.</summary>
    private static int[] RareRows(FeatureMatrix matrix, int[] group)
    {
        var counts = new Dictionary<string, List<int>>();
        for (var r = 0; r < matrix.Rows; r++)
        {
            var key = string.Join('|', group.Select(f => matrix[r, f]));
            if (!counts.TryGetValue(key, out var rows)) counts[key] = rows = [];
            rows.Add(r);
        }
        if (counts.Count < 2 || counts.Count > matrix.Rows / 2) return []; // one value, or a continuous column: nothing is a rare category
        var limit = Math.Max(1, matrix.Rows / 100);
        return [.. counts.Values.Where(rows => rows.Count <= limit).SelectMany(rows => rows)];
    }
}
