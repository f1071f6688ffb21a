using Vigil.Scoring.Features;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Synthetic anomalies for choosing ensemble weights without labels: copies of normal rows in which the features of
/// one or two source columns are taken from another random normal row. Each value stays one a normal record has; only
/// the relations between columns break (the kind of anomaly no single-column rule sees), and a one-hot group moves as
/// a whole, so no impossible encoding gives a perturbation away.
/// </summary>
public static class ColumnSwapPerturbation
{
    public static FeatureMatrix Create(FeatureMatrix normal, IReadOnlyList<FeatureSource> sources, int count, int seed)
    {
        if (sources.Count != normal.Columns) throw new ArgumentException("One source per feature is needed.", nameof(sources));
        if (normal.Rows < 2) throw new ArgumentException("Perturbations need at least 2 normal rows.", nameof(normal));
        var groups = sources.Select((s, f) => (s.Column, Feature: f)).GroupBy(p => p.Column).Select(g => g.Select(p => p.Feature).ToArray()).ToArray();
        var random = new Random(seed);
        var columns = normal.Columns;
        var values = new float[count * columns];
        for (var i = 0; i < count; i++)
        {
            var target = values.AsSpan(i * columns, columns);
            normal.Row(random.Next(normal.Rows)).CopyTo(target);
            var swaps = groups.Length > 1 ? 1 + random.Next(2) : 1;
            for (var s = 0; s < swaps; s++)
            {
                var donor = normal.Row(random.Next(normal.Rows));
                foreach (var feature in groups[random.Next(groups.Length)]) target[feature] = donor[feature];
            }
        }
        return new FeatureMatrix(values, count, normal.FeatureNames);
    }
}
