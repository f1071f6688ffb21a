using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Scoring.UnitTests.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Statistical;

public class StatisticalDetectorTests
{
    private static FeatureMatrix OneFeature(params float[] values) => new(values, values.Length, ["x"]);

    [Fact]
    public void Z_is_the_distance_from_the_median_in_units_of_the_scaled_MAD()
    {
        var detector = StatisticalDetector.Fit(OneFeature(1, 2, 3, 4, 100));

        var scores = detector.Score(OneFeature(100, 3, 1));

        Assert.Equal("statistical", detector.Name);
        Assert.Equal(3f, detector.Medians[0]);
        Assert.Equal(1.4826f, detector.Scales[0], 5);
        Assert.Equal(97 / 1.4826f, scores.Scores[0], 3);
        Assert.Equal(0f, scores.Scores[1]);
        Assert.Equal(2 / 1.4826f, scores.Scores[2], 4);
    }

    [Fact]
    public void A_feature_whose_MAD_is_zero_falls_back_to_the_IQR()
    {
        var detector = StatisticalDetector.Fit(OneFeature(0, 0, 0, 0, 0, 1, 1, 1));

        var scores = detector.Score(OneFeature(1));

        Assert.Equal(1.349f, scores.Scores[0], 4);
    }

    [Fact]
    public void A_feature_whose_MAD_and_IQR_are_zero_falls_back_to_the_standard_deviation()
    {
        var detector = StatisticalDetector.Fit(OneFeature(0, 0, 0, 0, 0, 0, 0, 0, 0, 1));

        var scores = detector.Score(OneFeature(1));

        Assert.Equal((float)(1 / Math.Sqrt(0.1)), scores.Scores[0], 4);
    }

    [Fact]
    public void A_change_in_a_feature_constant_in_training_scores_about_root_n_sigmas()
    {
        var detector = StatisticalDetector.Fit(OneFeature(5, 5, 5, 5));

        var scores = detector.Score(OneFeature(6, 5));

        Assert.Equal(2f, scores.Scores[0], 5);
        Assert.Equal(0f, scores.Scores[1]);
    }

    [Fact]
    public void Absurd_values_are_clipped_to_max_z()
    {
        var detector = StatisticalDetector.Fit(OneFeature(1, 2, 3, 4, 5), new StatisticalDetectorOptions { MaxZ = 50 });

        var scores = detector.Score(OneFeature(3e30f));

        Assert.Equal(50f, scores.Scores[0]);
    }

    [Theory]
    [InlineData(ScoreAggregation.Max)]
    [InlineData(ScoreAggregation.Rms)]
    [InlineData(ScoreAggregation.Mean)]
    public void The_score_aggregates_the_per_feature_contributions(ScoreAggregation aggregation)
    {
        var training = Normal(2000, 3, seed: 5);
        var detector = StatisticalDetector.Fit(training, new StatisticalDetectorOptions { Aggregation = aggregation });
        var batch = Normal(50, 3, seed: 6);

        var result = detector.Score(batch);

        Assert.NotNull(result.Contributions);
        for (var row = 0; row < batch.Rows; row++)
        {
            var z = result.Contributions.AsSpan(row * 3, 3).ToArray().Select(v => (double)v).ToArray();
            var expected = aggregation switch
            {
                ScoreAggregation.Max => z.Max(),
                ScoreAggregation.Rms => Math.Sqrt(z.Sum(v => v * v) / 3),
                _ => z.Average(),
            };
            Assert.Equal(expected, result.Scores[row], 4);
        }
    }

    [Fact]
    public void Injected_outliers_rank_above_normal_rows()
    {
        var detector = StatisticalDetector.Fit(Normal(5000, 10, seed: 1));
        var (batch, labels, _) = WithOutliers(Normal(4000, 10, seed: 2), share: 0.02, shift: 7, seed: 3);

        var scores = detector.Score(batch).Scores;

        Assert.True(ClassificationMetrics.RocAuc(scores, labels) >= 0.98, $"ROC-AUC {ClassificationMetrics.RocAuc(scores, labels):F3}");
        Assert.True(ClassificationMetrics.PrAuc(scores, labels) >= 0.8, $"PR-AUC {ClassificationMetrics.PrAuc(scores, labels):F3}");
    }

    [Fact]
    public void The_largest_contribution_of_an_outlier_is_the_feature_that_was_shifted()
    {
        var detector = StatisticalDetector.Fit(Normal(5000, 10, seed: 1));
        var (batch, labels, shifted) = WithOutliers(Normal(1000, 10, seed: 2), share: 0.05, shift: 9, seed: 4);

        var contributions = detector.Score(batch).Contributions!;

        var outliers = Enumerable.Range(0, batch.Rows).Where(r => labels[r]).ToList();
        Assert.NotEmpty(outliers);
        foreach (var row in outliers)
        {
            var z = contributions.AsSpan(row * 10, 10);
            Assert.Equal(shifted[row], z.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(z)));
        }
    }

    [Fact]
    public void Pipeline_and_detector_together_flag_amount_spikes_and_odd_channels_in_a_batch()
    {
        var training = FeaturePipelineTests.Generated(20_000, seed: 11);
        var pipeline = FeaturePipeline.Fit(training, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        var detector = StatisticalDetector.Fit(pipeline.Transform(training));
        var (batch, labels) = WithDefects(FeaturePipelineTests.Generated(5_000, seed: 12), seed: 13);

        var scores = detector.Score(pipeline.Transform(batch)).Scores;

        var auc = ClassificationMetrics.RocAuc(scores, labels);
        Assert.True(auc >= 0.95, $"ROC-AUC {auc:F3}");
    }

    [Fact]
    public void A_fit_over_chunks_of_a_batch_a_few_features_per_pass_gives_the_medians_and_scales_of_its_whole_matrix()
    {
        var table = FeaturePipelineTests.Generated(5_001, seed: 14);
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        var whole = StatisticalDetector.Fit(pipeline.Transform(table));

        var passed = StatisticalDetector.Fit(pipeline.Bind(table), columnBytes: 3 * 5_001 * sizeof(float));

        Assert.InRange(pipeline.FeatureNames.Count, 7, int.MaxValue);
        Assert.Equal(whole.Medians, passed.Medians);
        Assert.Equal(whole.Scales, passed.Scales);
        Assert.Equal(whole.ToJson(), passed.ToJson());
    }

    [Fact]
    public void A_fit_over_a_batch_hands_each_feature_its_column_in_row_order_with_the_fitted_median_and_scale()
    {
        var table = FeaturePipelineTests.Generated(5_001, seed: 15);
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        var matrix = pipeline.Transform(table);
        var width = matrix.Columns;
        var handed = new (float[] Column, float Median, float Scale)[width];

        var passed = StatisticalDetector.Fit(pipeline.Bind(table), columnBytes: 3 * 5_001 * sizeof(float), fitted:
            (feature, column, median, scale) => handed[feature] = (column.ToArray(), median, scale));

        Assert.Equal(StatisticalDetector.Fit(matrix).ToJson(), passed.ToJson());
        for (var f = 0; f < width; f++)
        {
            Assert.Equal(Enumerable.Range(0, matrix.Rows).Select(r => matrix.Values[r * width + f]), handed[f].Column);
            Assert.Equal(passed.Medians[f], handed[f].Median);
            Assert.Equal(passed.Scales[f], handed[f].Scale);
        }
    }

    [Fact]
    public void Json_round_trip_gives_the_same_json_and_the_same_scores()
    {
        var detector = StatisticalDetector.Fit(Normal(3000, 6, seed: 8), new StatisticalDetectorOptions { Aggregation = ScoreAggregation.Rms, MaxZ = 99 });
        var batch = Normal(500, 6, seed: 9);

        var json = detector.ToJson();
        var restored = StatisticalDetector.FromJson(json);

        Assert.Equal(json, restored.ToJson());
        Assert.Equal(detector.Options, restored.Options);
        Assert.Equal(detector.Score(batch).Scores, restored.Score(batch).Scores);
        Assert.Equal(detector.Score(batch).Contributions, restored.Score(batch).Contributions);
    }

    [Fact]
    public void Scoring_features_other_than_the_fitted_ones_is_refused()
    {
        var detector = StatisticalDetector.Fit(new FeatureMatrix([1, 2, 3, 4], 2, ["a", "b"]));

        var reordered = Assert.Throws<ArgumentException>(() => detector.Score(new FeatureMatrix([1, 2], 1, ["b", "a"])));
        var fewer = Assert.Throws<ArgumentException>(() => detector.Score(new FeatureMatrix([1], 1, ["a"])));

        Assert.Contains("'b'", reordered.Message);
        Assert.Contains("2 features", fewer.Message);
    }

    [Fact]
    public void Fitting_on_features_that_are_not_finite_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => StatisticalDetector.Fit(OneFeature(1, float.NaN)));

        Assert.Contains("'x'", error.Message);
    }

    internal static FeatureMatrix Normal(int rows, int width, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * width];
        for (var i = 0; i < values.Length; i++) values[i] = (float)Gaussian(random);
        return new FeatureMatrix(values, rows, [.. Enumerable.Range(0, width).Select(f => $"f{f}")]);
    }

    private static (FeatureMatrix Batch, bool[] Labels, int[] Shifted) WithOutliers(FeatureMatrix normal, double share, float shift, int seed)
    {
        var random = new Random(seed);
        var values = (float[])normal.Values.Clone();
        var labels = new bool[normal.Rows];
        var shifted = new int[normal.Rows];
        for (var row = 0; row < normal.Rows; row++)
        {
            if (random.NextDouble() >= share) continue;
            labels[row] = true;
            shifted[row] = random.Next(normal.Columns);
            values[row * normal.Columns + shifted[row]] += random.Next(2) == 0 ? shift : -shift;
        }
        return (new FeatureMatrix(values, normal.Rows, normal.FeatureNames), labels, shifted);
    }

    /// <summary>Marks 2% of rows as defects: an amount 50 times larger, or a channel never seen in training.</summary>
    private static (TypedTable Batch, bool[] Labels) WithDefects(TypedTable table, int seed)
    {
        var random = new Random(seed);
        var rows = table.RowCount;
        var labels = new bool[rows];
        var amounts = new double[rows];
        var amountNulls = table["amount"].NullMask.ToArray();
        var channels = new string[rows];
        for (var row = 0; row < rows; row++)
        {
            amounts[row] = amountNulls[row] ? 0 : table["amount"].GetDouble(row);
            channels[row] = table["channel"].GetString(row);
            if (random.NextDouble() >= 0.02) continue;
            labels[row] = true;
            if (random.Next(2) == 0)
            {
                amounts[row] = 50 * Math.Max(1, amounts[row]);
                amountNulls[row] = false;
            }
            else
            {
                channels[row] = "teleport";
            }
        }
        var columns = table.Columns.Select(c => c.Name switch
        {
            "amount" => Column.Decimals("amount", amounts, amountNulls),
            "channel" => Tables.Strings("channel", channels),
            _ => c,
        }).ToList();
        return (new TypedTable(columns, rows), labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
