using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Lifecycle;

namespace Vigil.Scoring.UnitTests.Lifecycle;

public sealed class DriftCheckTests
{
    [Fact]
    public void Only_features_above_the_threshold_are_drifted_most_drifted_first()
    {
        var psi = new Dictionary<string, double> { ["amount"] = 0.8, ["fee"] = 0.3, ["items"] = 0.25, ["channel"] = double.NaN };

        var finding = DriftCheck.Find(psi, threshold: 0.25, modelVersion: 3);

        Assert.NotNull(finding);
        Assert.Equal(["amount", "fee"], finding.Drifted.Select(d => d.Key));
        Assert.Equal(0.8, finding.MaxPsi);
        Assert.Equal("feature drift against model v3's training reference: PSI amount 0.8, fee 0.3 above 0.25", finding.Reason);
    }

    [Fact]
    public void No_feature_above_the_threshold_is_no_drift()
    {
        Assert.Null(DriftCheck.Find(new Dictionary<string, double> { ["amount"] = 0.1 }, 0.25, 1));
        Assert.Null(DriftCheck.Find(new Dictionary<string, double>(), 0.25, 1));
    }

    [Fact]
    public void A_reason_names_at_most_five_features_and_counts_the_rest()
    {
        var psi = Enumerable.Range(1, 7).ToDictionary(i => $"f{i}", i => i / 10.0);

        var reason = DriftCheck.Find(psi, 0.05, 1)!.Reason;

        Assert.Contains("f7 0.7, f6 0.6, f5 0.5, f4 0.4, f3 0.3 and 2 more above 0.05", reason);
    }

    [Fact]
    public void Psi_of_a_batch_like_the_training_records_is_small_and_of_a_shifted_batch_is_above_the_usual_threshold()
    {
        var random = new Random(7);
        FeatureMatrix Sample(int rows, double shift) =>
            new([.. Enumerable.Range(0, rows).Select(_ => (float)(shift + random.NextDouble() * 100))], rows, ["amount"]);
        var reference = FeatureReference.Fit(Sample(5000, 0));

        var same = reference.Psi(Sample(2000, 0))["amount"];
        var shifted = reference.Psi(Sample(2000, 30))["amount"];

        Assert.True(same < 0.02, $"PSI {same} for the same distribution");
        Assert.True(shifted > 0.25, $"PSI {shifted} for values shifted by 30% of their range");
        Assert.NotNull(DriftCheck.Find(reference.Psi(Sample(2000, 30)), 0.25, 1));
        Assert.Null(DriftCheck.Find(reference.Psi(Sample(2000, 0)), 0.25, 1));
    }
}
