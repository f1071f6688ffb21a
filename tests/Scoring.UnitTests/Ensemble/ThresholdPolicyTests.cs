using Vigil.Scoring.Ensemble;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class ThresholdPolicyTests
{
    /// <summary>Risks 1, 2, ..., 1000 of held-out normal records.</summary>
    private static readonly double[] Normal = [.. Enumerable.Range(1, 1000).Select(i => (double)i)];

    [Fact]
    public void Percentile_thresholds_are_the_asked_percentiles_of_held_out_normal_risk()
    {
        var thresholds = new ThresholdPolicy().Apply(Normal, []);
        var custom = new ThresholdPolicy { ReviewPercentile = 95, BlockPercentile = 99.5 }.Apply(Normal, []);

        Assert.Equal((990.0, 999.0, ThresholdMethod.Percentile), (thresholds.Review, thresholds.Block, thresholds.Method));
        Assert.Equal((950.0, 995.0), (custom.Review, custom.Block));
        Assert.Contains("p99", thresholds.Basis);
    }

    [Fact]
    public void Percentiles_that_too_few_held_out_records_hold_are_the_risk_of_a_record_that_rare()
    {
        // 60 records: their p99 and p99.9 would both be their maximum, here risk 90 or, with one anomaly among them, 99.97.
        double[] few = [.. Enumerable.Range(1, 60).Select(i => 1.5 * i)];
        double[] withAnAnomaly = [.. few.SkipLast(1), 99.97];

        var thresholds = new ThresholdPolicy().Apply(few, []);

        Assert.Equal(EnsembleModel.RiskOf(-Math.Log(0.01)), thresholds.Review); // 99.0: evidence ln 100
        Assert.Equal(EnsembleModel.RiskOf(-Math.Log(0.001)), thresholds.Block); // 99.9: evidence ln 1000
        Assert.Contains("60 records cannot tell a percentile", thresholds.Basis);
        Assert.Equal(thresholds, new ThresholdPolicy().Apply(withAnAnomaly, []));
    }

    [Fact]
    public void A_resolved_review_percentile_above_the_block_rarity_raises_the_block_threshold_to_it()
    {
        // 500 records resolve p99 (their 5th largest, 99.95) but not p99.9.
        double[] records = [.. Enumerable.Range(1, 494).Select(i => i / 10.0), .. Enumerable.Repeat(99.95, 6)];

        var thresholds = new ThresholdPolicy().Apply(records, []);

        Assert.Equal((99.95, 99.95), (thresholds.Review, thresholds.Block));
    }

    [Fact]
    public void Mean_std_thresholds_are_mean_plus_k_standard_deviations_capped_at_100()
    {
        double[] risk = [10, 20, 30, 40, 50];
        var mean = 30.0;
        var std = Math.Sqrt(200);

        var thresholds = new ThresholdPolicy { Method = ThresholdMethod.MeanStd, ReviewK = 1, BlockK = 2 }.Apply(risk, []);
        var capped = new ThresholdPolicy { Method = ThresholdMethod.MeanStd, ReviewK = 3, BlockK = 10 }.Apply(risk, []);

        Assert.Equal(Math.Round(mean + std, 4), thresholds.Review);
        Assert.Equal(Math.Round(mean + 2 * std, 4), thresholds.Block);
        Assert.Equal(100, capped.Block);
        Assert.Equal(ThresholdMethod.MeanStd, thresholds.Method);
    }

    [Fact]
    public void F1_review_threshold_separates_labelled_anomalies_best_and_block_puts_precision_first()
    {
        // Normal risk 1..1000; anomalies mostly above 995, a few hidden among normal records.
        double[] anomalies = [996, 997, 998, 999.5, 1001, 1002, 1003, 1004, 1005, 1006, 500, 700];

        var thresholds = new ThresholdPolicy { Method = ThresholdMethod.F1 }.Apply(Normal, anomalies);

        Assert.InRange(thresholds.Review, 990, 1001);
        Assert.True(thresholds.Block >= thresholds.Review);
        Assert.Equal(ThresholdMethod.F1, thresholds.Method);
        // Everything at or above the block threshold is an anomaly: precision first.
        Assert.DoesNotContain(Normal, r => r >= thresholds.Block);
    }

    [Fact]
    public void F1_thresholds_without_labelled_anomalies_fail_with_the_reason()
    {
        var error = Assert.Throws<TrainingException>(() => new ThresholdPolicy { Method = ThresholdMethod.F1 }.Apply(Normal, []));

        Assert.Contains("label column", error.Message);
    }

    [Theory]
    [InlineData(99.9, 99, 3, 5)]
    [InlineData(0, 99.9, 3, 5)]
    [InlineData(99, 100, 3, 5)]
    [InlineData(99, 99.9, 5, 3)]
    [InlineData(99, 99.9, -1, 5)]
    public void Parameters_out_of_range_are_refused(double review, double block, double reviewK, double blockK)
    {
        var policy = new ThresholdPolicy { ReviewPercentile = review, BlockPercentile = block, ReviewK = reviewK, BlockK = blockK };

        Assert.Throws<TrainingException>(policy.Validate);
    }
}
