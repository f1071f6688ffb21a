using System.Text.Json;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Models;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Models;

public sealed class ModelWarningsTests
{
    private static JsonElement Metrics(DecisionThresholds thresholds) =>
        JsonSerializer.SerializeToElement(new { trainingRows = 100, thresholds }, JsonSerializerOptions.Web);

    [Fact]
    public void MeanStd_thresholds_clamped_to_100_give_a_warning_that_says_what_to_change()
    {
        // Held-out risk with a wide spread: mean + 3 / 5 std lands far above the 0-100 scale.
        var risk = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? 5.0 : 95.0).ToArray();
        var thresholds = new ThresholdPolicy { Method = ThresholdMethod.MeanStd }.Apply(risk, []);

        var warning = Assert.Single(ModelWarnings.For(Metrics(thresholds)));

        Assert.Equal((100, 100), (thresholds.Review, thresholds.Block));
        Assert.Contains("Both the review and block thresholds", warning);
        Assert.Contains("clamped to 100", warning);
        Assert.Contains("reviewK / blockK", warning);
    }

    [Fact]
    public void Only_the_block_threshold_at_the_cap_is_named_alone()
    {
        var warning = Assert.Single(ModelWarnings.For(Metrics(new DecisionThresholds(80, 100, ThresholdMethod.MeanStd))));

        Assert.StartsWith("The block threshold", warning);
    }

    [Fact]
    public void Thresholds_below_the_cap_and_metrics_without_thresholds_give_no_warning()
    {
        var risk = Enumerable.Range(0, 200).Select(i => 10 + i % 5 * 1.0).ToArray();
        var thresholds = new ThresholdPolicy { Method = ThresholdMethod.MeanStd }.Apply(risk, []);

        Assert.True(thresholds.Block < 100);
        Assert.Empty(ModelWarnings.For(Metrics(thresholds)));
        Assert.Empty(ModelWarnings.For(JsonSerializer.SerializeToElement(new { trainingRows = 3 })));
    }

    [Fact]
    public void A_batch_of_only_key_columns_is_skipped_with_the_keys_named_and_one_with_another_column_is_not()
    {
        var keysOnly = TypedTable.FromRows(["id"], [["1"], ["2"]]);
        var withAmount = TypedTable.FromRows(["id", "amount"], [["1", "3"], ["2", "4"]]);

        Assert.Equal("not scored: the batch has no column besides its key column ('id'), so there is nothing to score", ScoringSkip.Reason(keysOnly, ["id"]));
        Assert.Null(ScoringSkip.Reason(withAmount, ["id"]));
    }
}
