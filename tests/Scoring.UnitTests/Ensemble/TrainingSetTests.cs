using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;
using static Vigil.Scoring.UnitTests.Ensemble.EnsembleTests;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>What a training reads: several batches, their excluded rows, labels; how weights and thresholds are chosen.</summary>
public sealed class TrainingSetTests
{
    [Fact]
    public void Several_batches_train_one_model_on_all_their_normal_records()
    {
        var first = Orders(600, seed: 1, outliers: []);
        var second = Orders(400, seed: 2, outliers: []);

        var (_, metrics) = EnsembleTrainer.Train([new TrainingBatch(first, new HashSet<int> { 0, 1 }), new TrainingBatch(second, new HashSet<int> { 5 })], Fast);

        Assert.Equal(3, metrics.ExcludedRows);
        Assert.Equal(997, metrics.TrainingRows + metrics.CalibrationRows + metrics.TrimmedRows);
    }

    [Fact]
    public void A_batch_without_a_column_of_the_others_fails_the_training_naming_it()
    {
        var full = Orders(600, seed: 1, outliers: []);
        var partial = TypedTable.FromRows(["id", "quantity", "unit_price"], [["1", "2", "3.5"], ["2", "1", "4"]]);

        var error = Assert.Throws<TrainingException>(() =>
            EnsembleTrainer.Train([new TrainingBatch(full, new HashSet<int>()), new TrainingBatch(partial, new HashSet<int>())], Fast));

        Assert.Contains("Batch 2 of 2", error.Message);
        Assert.Contains("total", error.Message);
    }

    [Fact]
    public void No_batches_fail_the_training()
    {
        Assert.Throws<TrainingException>(() => EnsembleTrainer.Train([], Fast));
    }

    [Fact]
    public void Without_labels_weights_come_from_perturbations_and_with_enough_labels_from_the_labels()
    {
        var (unlabelled, _) = EnsembleTrainer.Train(Orders(1500, seed: 1, outliers: []), Fast);
        int[] outliers = [.. Enumerable.Range(0, 40).Select(i => 30 * i + 7)];
        var (labelled, metrics) = EnsembleTrainer.Train(Orders(1500, seed: 1, outliers: outliers, labelled: true), Fast with { LabelColumn = "label" });

        Assert.StartsWith("perturbations", unlabelled.Weights.Source);
        Assert.StartsWith("labels", labelled.Weights.Source);
        // Half the labelled anomalies choose the weights, the other half measure the model.
        Assert.Equal(20, metrics.Labelled!.Positives);
        var w = labelled.Weights;
        Assert.All([w.Statistical, w.IsolationForest, w.Autoencoder, w.Relations, w.Histogram], x => Assert.InRange(x, 0, 1));
        Assert.Equal(1, w.Statistical + w.IsolationForest + w.Autoencoder + w.Relations + w.Histogram, 4);
    }

    [Fact]
    public void Fixed_weights_are_used_as_given()
    {
        var weights = new EnsembleWeights(2, 0, 1) { Relations = 0 };

        var (model, _) = EnsembleTrainer.Train(Orders(800, seed: 1, outliers: []), Fast with { WeightSelection = WeightSelection.Fixed, Weights = weights });

        Assert.Equal((2.0, 0.0, 1.0, 0.0, "fixed"), (model.Weights.Statistical, model.Weights.IsolationForest, model.Weights.Autoencoder, model.Weights.Relations, model.Weights.Source));
    }

    [Fact]
    public void Fixed_weights_that_are_negative_or_all_zero_are_refused()
    {
        var table = Orders(300, seed: 1, outliers: []);

        Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(table, Fast with { WeightSelection = WeightSelection.Fixed, Weights = new EnsembleWeights(-1, 1, 1) }));
        Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(table, Fast with { WeightSelection = WeightSelection.Fixed, Weights = new EnsembleWeights(0, 0, 0) { Relations = 0, Histogram = 0 } }));
    }

    [Theory]
    [InlineData(ThresholdMethod.Percentile)]
    [InlineData(ThresholdMethod.MeanStd)]
    [InlineData(ThresholdMethod.F1)]
    public void The_threshold_method_asked_for_is_stored_with_the_model_and_in_the_metrics(ThresholdMethod method)
    {
        int[] outliers = [.. Enumerable.Range(0, 40).Select(i => 30 * i + 7)];
        var request = Fast with { LabelColumn = "label", Thresholds = new ThresholdPolicy { Method = method } };

        var (model, metrics) = EnsembleTrainer.Train(Orders(1500, seed: 1, outliers: outliers, labelled: true), request);
        var restored = EnsembleModel.FromJson(model.ToJson());

        Assert.Equal(method, model.Thresholds.Method);
        Assert.Equal(model.Thresholds, metrics.Thresholds);
        Assert.Equal(model.Thresholds, restored.Thresholds);
        Assert.InRange(model.Thresholds.Review, 0, model.Thresholds.Block);
    }

    [Fact]
    public void Column_swaps_keep_every_value_one_of_a_normal_row_and_move_a_one_hot_group_as_a_whole()
    {
        var pipeline = FeaturePipeline.Fit(TableWithChannel(300), new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        var normal = pipeline.Transform(TableWithChannel(300));

        var swapped = ColumnSwapPerturbation.Create(normal, pipeline.Sources, 500, seed: 1);

        Assert.Equal(500, swapped.Rows);
        var channelFeatures = pipeline.Sources.Select((s, f) => (s, f)).Where(p => p.s.Column == "channel").Select(p => p.f).ToArray();
        Assert.True(channelFeatures.Length >= 2);
        for (var r = 0; r < swapped.Rows; r++)
        {
            Assert.Equal(1f, channelFeatures.Sum(f => swapped[r, f]));
            for (var f = 0; f < swapped.Columns; f++)
                Assert.Contains(swapped[r, f], Enumerable.Range(0, normal.Rows).Select(n => normal[n, f]));
        }
    }

    [Fact]
    public void NaN_and_infinite_values_in_a_scored_batch_get_a_finite_risk_and_a_decision()
    {
        var (model, _) = EnsembleTrainer.Train(Orders(800, seed: 1, outliers: []), Fast);
        var batch = Features.Tables.Of(
            Features.Tables.Strings("id", "a", "b", "c", "d"),
            Features.Tables.Decimals("quantity", 2, double.NaN, 1, 3),
            Features.Tables.Decimals("unit_price", double.PositiveInfinity, 10, double.NaN, 12.5),
            Features.Tables.Decimals("total", double.NegativeInfinity, 30, 10, 37.5));

        var scores = model.Score(batch);

        Assert.All(scores.Risk, r => Assert.InRange(r, 0, 100));
        Assert.All(scores.Evidence, e => Assert.True(double.IsFinite(e) && e >= 0, $"evidence {e}"));
        Assert.All(Enumerable.Range(0, 4), row => Assert.Contains(scores.Decision(row), new[] { "approve", "review", "block" }));
    }

    private static TypedTable TableWithChannel(int rows)
    {
        var random = new Random(9);
        var text = new StringBuilder("id,amount,fee,channel\n");
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round(20 + random.NextDouble() * 200, 2);
            text.Append(CultureInfo.InvariantCulture, $"r{i},{amount},{Math.Round(amount * 0.02, 2)},{(i % 3 == 0 ? "web" : i % 3 == 1 ? "app" : "shop")}\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), TableReader.CsvMediaType);
    }
}
