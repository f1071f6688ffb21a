using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class SyntheticAnomaliesTests
{
    [Fact]
    public void Each_kind_of_synthetic_anomaly_is_present_and_one_hot_groups_stay_valid()
    {
        var table = EnsembleTests.Orders(1000, seed: 3, outliers: []);
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        var normal = pipeline.Transform(table);
        var total = pipeline.FeatureNames.ToList().FindIndex(n => n.StartsWith("total", StringComparison.Ordinal));
        var max = Enumerable.Range(0, normal.Rows).Max(r => normal[r, total]);
        var min = Enumerable.Range(0, normal.Rows).Min(r => normal[r, total]);

        var synthetic = SyntheticAnomalies.Create(normal, pipeline.Sources, 400, seed: 9);

        Assert.Equal(400, synthetic.Rows);
        // Out-of-range values: some rows lie beyond every normal value of some numeric feature.
        var numeric = Enumerable.Range(0, normal.Columns).Where(f => pipeline.Sources[f].Encoding == FeatureEncoding.Numeric).ToArray();
        var beyond = Enumerable.Range(0, synthetic.Rows).Count(r => numeric.Any(f =>
            synthetic[r, f] > Enumerable.Range(0, normal.Rows).Max(n => normal[n, f]) || synthetic[r, f] < Enumerable.Range(0, normal.Rows).Min(n => normal[n, f])));
        Assert.InRange(beyond, 80, 110);
        // Every other value is one some normal row has (swaps, rare values and scattered points reuse real values).
        var inRange = Enumerable.Range(0, synthetic.Rows).Count(r => synthetic[r, total] >= min && synthetic[r, total] <= max);
        Assert.True(inRange >= 290, $"{inRange} rows keep total in range");
    }
}
