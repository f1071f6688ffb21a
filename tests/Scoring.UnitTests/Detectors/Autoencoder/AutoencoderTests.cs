using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Features;

// The tests live in the parent namespace: inside Vigil.Scoring.UnitTests.Detectors.Autoencoder the simple name
// Autoencoder would bind to that namespace instead of the detector type.
namespace Vigil.Scoring.UnitTests.Detectors;

public sealed class AutoencoderTests
{
    /// <summary>Small and quick: 10 correlated features (3 factors), a 3-unit bottleneck.</summary>
    private static readonly AutoencoderOptions Quick = new()
    {
        HiddenLayers = [8, 3, 8],
        LearningRate = 1e-2,
        BatchSize = 64,
        MaxEpochs = 40,
        Patience = 5,
        RowsPerEpoch = null,
    };

    private static readonly SyntheticFeatures Generator = new(10, factors: 3, seed: 21);
    private static readonly FeatureMatrix Normal = Generator.Normal(4000);
    private static readonly Lazy<Autoencoder> Trained = new(() => Autoencoder.Fit(Normal, Quick));

    [Theory]
    [InlineData(10, new[] { 16, 8, 16 }, 131_072)]
    [InlineData(16, new[] { 16, 8, 16 }, 131_072)]
    [InlineData(24, new[] { 24, 12, 24 }, 87_381)]
    [InlineData(64, new[] { 32, 16, 32 }, 65_536)]
    public void Widening_with_features_grows_the_layers_with_the_feature_count_up_to_twice_and_shortens_the_epochs_as_much(
        int features, int[] layers, int rowsPerEpoch)
    {
        var widened = new AutoencoderOptions { WidenWithFeatures = true }.ForFeatures(features);
        var fixedWidth = new AutoencoderOptions().ForFeatures(features);

        Assert.Equal(layers, widened.HiddenLayers);
        Assert.Equal(rowsPerEpoch, widened.RowsPerEpoch);
        Assert.False(widened.WidenWithFeatures);
        Assert.Equal([16, 8, 16], fixedWidth.HiddenLayers);
        Assert.Equal(131_072, fixedWidth.RowsPerEpoch);
    }

    [Fact]
    public void A_widened_network_stores_the_widths_it_used()
    {
        var wide = new SyntheticFeatures(24, factors: 3, seed: 4).Normal(300);

        var model = Autoencoder.Fit(wide, Quick with { WidenWithFeatures = true, MaxEpochs = 2 });

        Assert.Equal([24, 12, 4, 12], model.Layers.Select(l => l.Inputs));
        Assert.Equal([12, 4, 12], model.Options.HiddenLayers);
        Assert.False(model.Options.WidenWithFeatures);
        Assert.Equal([12, 4, 12], Autoencoder.FromJson(model.ToJson()).Options.HiddenLayers);
    }

    [Fact]
    public void Layers_run_from_the_features_through_the_hidden_widths_back_to_the_features()
    {
        var model = Trained.Value;

        Assert.Equal([10, 8, 3, 8], model.Layers.Select(l => l.Inputs));
        Assert.Equal([8, 3, 8, 10], model.Layers.Select(l => l.Outputs));
        Assert.Equal([true, true, true, false], model.Layers.Select(l => l.Relu));
        Assert.All(model.Layers, l =>
        {
            Assert.Equal(l.Inputs * l.Outputs, l.Weights.Length);
            Assert.Equal(l.Outputs, l.Bias.Length);
        });
        Assert.Equal(10, model.InputMean.Length);
        Assert.Equal(10, model.InputScale.Length);
    }

    [Fact]
    public void Scores_equal_a_gemm_relu_pass_over_the_exported_parameters()
    {
        var model = Trained.Value;
        var (test, _) = Generator.WithOutliers(300, 30, Outlier.CorrelationBreaking);

        var scored = model.Score(test);

        var mean = model.InputMean.Span.ToArray();
        var scale = model.InputScale.Span.ToArray();
        for (var r = 0; r < test.Rows; r++)
        {
            var input = Enumerable.Range(0, test.Columns).Select(i => ((double)test[r, i] - mean[i]) / scale[i]).ToArray();
            var activation = input;
            foreach (var layer in model.Layers)
            {
                var w = layer.Weights.Span;
                var next = new double[layer.Outputs];
                for (var o = 0; o < layer.Outputs; o++)
                {
                    double z = layer.Bias.Span[o];
                    for (var i = 0; i < layer.Inputs; i++) z += w[o * layer.Inputs + i] * activation[i];
                    next[o] = layer.Relu ? Math.Max(0, z) : z;
                }
                activation = next;
            }
            var errors = input.Select((x, i) => (activation[i] - x) * (activation[i] - x)).ToArray();
            Assert.Equal(errors.Average(), scored.Scores[r], 1e-4 * Math.Max(1, errors.Average()));
            for (var i = 0; i < test.Columns; i++)
                Assert.Equal(errors[i], scored.Contributions![r * test.Columns + i], 1e-4 * Math.Max(1, errors[i]));
        }
    }

    [Fact]
    public void Training_lowers_the_reconstruction_error()
    {
        var report = Trained.Value.Training;

        Assert.Equal(report.Epochs, report.TrainLoss.Count);
        Assert.Equal(report.Epochs, report.ValidationLoss.Count);
        Assert.Equal(400, report.ValidationRows);
        Assert.Equal(3600, report.TrainingRows);
        Assert.True(report.BestValidationLoss < report.ValidationLoss[0] / 5,
            $"validation loss went from {report.ValidationLoss[0]:F4} to only {report.BestValidationLoss:F4}");
        Assert.True(report.TrainLoss[^1] < report.TrainLoss[0] / 5);
        Assert.True(report.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public void Same_seed_trains_the_same_network_and_another_seed_a_different_one()
    {
        var again = Autoencoder.Fit(Normal, Quick);
        var other = Autoencoder.Fit(Normal, Quick with { Seed = 7 });
        var test = Generator.Normal(500);

        for (var l = 0; l < again.Layers.Count; l++)
        {
            Assert.Equal(Trained.Value.Layers[l].Weights.ToArray(), again.Layers[l].Weights.ToArray());
            Assert.Equal(Trained.Value.Layers[l].Bias.ToArray(), again.Layers[l].Bias.ToArray());
        }
        Assert.Equal(Trained.Value.Training.ValidationLoss, again.Training.ValidationLoss);
        Assert.Equal(Trained.Value.Score(test).Scores, again.Score(test).Scores);
        Assert.NotEqual(Trained.Value.Score(test).Scores, other.Score(test).Scores);
    }

    [Fact]
    public void Json_round_trip_keeps_the_parameters_the_report_and_every_score_bit_for_bit()
    {
        var model = Trained.Value;
        var (test, _) = Generator.WithOutliers(1000, 50, Outlier.Extreme);

        var restored = Autoencoder.FromJson(model.ToJson());

        Assert.Equal(model.FeatureNames, restored.FeatureNames);
        Assert.Equal(model.InputMean.ToArray(), restored.InputMean.ToArray());
        Assert.Equal(model.InputScale.ToArray(), restored.InputScale.ToArray());
        Assert.Equal(model.Options.HiddenLayers, restored.Options.HiddenLayers);
        Assert.Equal(model.Options.LearningRate, restored.Options.LearningRate);
        Assert.Equal(model.Training.TrainLoss, restored.Training.TrainLoss);
        Assert.Equal(model.Training.ValidationLoss, restored.Training.ValidationLoss);
        Assert.Equal(model.Training.BestValidationLoss, restored.Training.BestValidationLoss);
        Assert.Equal(model.Training.Elapsed, restored.Training.Elapsed);
        var expected = model.Score(test);
        var actual = restored.Score(test);
        Assert.Equal(expected.Scores, actual.Scores);
        Assert.Equal(expected.Contributions, actual.Contributions);
        Assert.Equal(model.ToJson(), restored.ToJson());
    }

    [Fact]
    public void Rows_that_break_the_correlations_score_higher_though_no_value_is_extreme()
    {
        var (test, isOutlier) = Generator.WithOutliers(4000, 200, Outlier.CorrelationBreaking);

        var scores = Trained.Value.Score(test).Scores;

        var auc = Ranking.RocAuc(scores, isOutlier);
        Assert.True(auc >= 0.95, $"ROC-AUC {auc:F3}");
    }

    [Fact]
    public void Rows_with_an_extreme_value_score_higher_and_that_feature_leads_the_contributions()
    {
        var (test, isOutlier) = Generator.WithOutliers(4000, 200, Outlier.Extreme);

        var scored = Trained.Value.Score(test);

        var auc = Ranking.RocAuc(scored.Scores, isOutlier);
        Assert.True(auc >= 0.95, $"ROC-AUC {auc:F3}");
        var contributions = Assert.IsType<float[]>(scored.Contributions);
        var led = 0;
        for (var r = 0; r < test.Rows; r++)
        {
            var row = contributions.AsSpan(r * test.Columns, test.Columns).ToArray();
            Assert.Equal(scored.Scores[r], row.Average(), 1e-5 * Math.Max(1, scored.Scores[r]));
            if (isOutlier[r] && Array.IndexOf(row, row.Max()) == MostShifted(test, r)) led++;
        }
        Assert.True(led >= 180, $"the shifted feature led {led} of 200 outliers");
    }

    [Fact]
    public void Early_stopping_ends_training_patience_epochs_after_the_best_validation_loss()
    {
        // Independent noise: nothing to learn beyond a little, so the validation loss soon stops improving.
        var random = new Random(5);
        var noise = new FeatureMatrix([.. Enumerable.Range(0, 2000 * 8).Select(_ => (float)(random.NextDouble() * 2 - 1))], 2000,
            [.. Enumerable.Range(0, 8).Select(i => $"n{i}")]);
        var options = Quick with { HiddenLayers = [4, 2, 4], MaxEpochs = 300, Patience = 4 };

        var report = Autoencoder.Fit(noise, options).Training;

        Assert.True(report.Epochs < options.MaxEpochs, $"ran all {report.Epochs} epochs");
        Assert.Equal(report.BestEpoch + options.Patience, report.Epochs);
        Assert.Equal(report.ValidationLoss.Min(), report.BestValidationLoss);
        Assert.Equal(report.ValidationLoss[report.BestEpoch - 1], report.BestValidationLoss);
        Assert.All(report.ValidationLoss.Skip(report.BestEpoch), loss => Assert.True(loss >= report.BestValidationLoss));
    }

    [Fact]
    public void Early_stopping_keeps_the_weights_of_the_best_epoch_not_the_last()
    {
        var options = Quick with { LearningRate = 5e-2, MaxEpochs = 200, Patience = 3 };
        var stopped = Autoencoder.Fit(Normal, options);
        Assert.True(stopped.Training.BestEpoch < stopped.Training.Epochs, "training never stopped early");

        // The same run cut at the best epoch ends with exactly those weights.
        var cut = Autoencoder.Fit(Normal, options with { MaxEpochs = stopped.Training.BestEpoch });

        var test = Generator.Normal(300);
        Assert.Equal(cut.Score(test).Scores, stopped.Score(test).Scores);
    }

    [Fact]
    public void Epoch_slices_continue_one_shuffled_pass_so_two_half_epochs_equal_one_full_epoch()
    {
        var data = Generator.Normal(1000);   // 100 held out, 900 train
        var halves = Autoencoder.Fit(data, Quick with { BatchSize = 50, RowsPerEpoch = 450, MaxEpochs = 2 });
        var full = Autoencoder.Fit(data, Quick with { BatchSize = 50, RowsPerEpoch = null, MaxEpochs = 1 });

        Assert.Equal(2, halves.Training.BestEpoch);
        var test = Generator.Normal(200);
        Assert.Equal(full.Score(test).Scores, halves.Score(test).Scores);
    }

    [Fact]
    public void Fit_rejects_an_empty_training_set()
    {
        var empty = new FeatureMatrix([], 0, ["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => Autoencoder.Fit(empty, Quick));

        Assert.Equal("normal", error.ParamName);
        Assert.Contains("at least 2 training rows", error.Message);
    }

    [Fact]
    public void Fit_rejects_a_training_set_without_columns()
    {
        var error = Assert.Throws<ArgumentException>(() => Autoencoder.Fit(new FeatureMatrix([], 10, []), Quick));

        Assert.Contains("at least one feature column", error.Message);
    }

    public static TheoryData<AutoencoderOptions, string> BadOptions => new()
    {
        { Quick with { HiddenLayers = [] }, "HiddenLayers" },
        { Quick with { HiddenLayers = [4, 0, 4] }, "HiddenLayers" },
        { Quick with { LearningRate = 0 }, "LearningRate" },
        { Quick with { LearningRate = double.NaN }, "LearningRate" },
        { Quick with { BatchSize = 0 }, "BatchSize" },
        { Quick with { MaxEpochs = 0 }, "MaxEpochs" },
        { Quick with { ValidationSplit = 0 }, "ValidationSplit" },
        { Quick with { ValidationSplit = 1 }, "ValidationSplit" },
        { Quick with { Patience = 0 }, "Patience" },
        { Quick with { RowsPerEpoch = 0 }, "RowsPerEpoch" },
        { Quick with { L2 = -1 }, "L2" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Fit_rejects_options_out_of_range(AutoencoderOptions options, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Autoencoder.Fit(Generator.Normal(20), options));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Score_rejects_a_matrix_with_other_features()
    {
        var model = Trained.Value;

        var fewer = Assert.Throws<ArgumentException>(() => model.Score(new FeatureMatrix([1f, 2f], 1, ["f0", "f1"])));
        var renamed = Assert.Throws<ArgumentException>(() =>
            model.Score(new FeatureMatrix(new float[10], 1, [.. Generator.Names.Select((n, i) => i == 4 ? "z" : n)])));

        Assert.Contains("trained on 10 features; the matrix has 2", fewer.Message);
        Assert.Contains("Feature 4 is 'z'", renamed.Message);
    }

    [Fact]
    public void A_constant_feature_is_only_centred_and_scores_stay_finite()
    {
        var values = (float[])Normal.Values.Clone();
        for (var r = 0; r < Normal.Rows; r++) values[r * Normal.Columns + 2] = 42f;
        var data = new FeatureMatrix(values, Normal.Rows, Normal.FeatureNames);

        var model = Autoencoder.Fit(data, Quick with { MaxEpochs = 5 });

        Assert.Equal(1f, model.InputScale.Span[2]);
        Assert.Equal(42f, model.InputMean.Span[2]);
        Assert.All(model.Score(data).Scores, s => Assert.True(float.IsFinite(s)));
    }

    [Theory]
    [InlineData("[]", "Not an autoencoder document")]
    [InlineData("""{"detector":"isolation_forest","version":1}""", "detector 'isolation_forest'")]
    [InlineData("""{"detector":"autoencoder","version":1,"featureNames":["a","b"],"inputMean":[0,0],"inputScale":[1,1],"layers":[{"inputs":2,"outputs":1,"relu":true,"weights":[1,1],"bias":[0]},{"inputs":2,"outputs":2,"relu":false,"weights":[1,1,1,1],"bias":[0,0]}],"training":{"epochs":1,"bestEpoch":1,"bestValidationLoss":1,"trainLoss":[1],"validationLoss":[1],"trainingRows":1,"validationRows":1,"elapsed":"00:00:01"}}""", "Layer 1 takes 2 inputs but the previous layer gives 1")]
    [InlineData("""{"detector":"autoencoder","version":1,"featureNames":["a","b"],"inputMean":[0,0],"inputScale":[1,0],"layers":[{"inputs":2,"outputs":2,"relu":false,"weights":[1,1,1,1],"bias":[0,0]}],"training":{"epochs":1,"bestEpoch":1,"bestValidationLoss":1,"trainLoss":[1],"validationLoss":[1],"trainingRows":1,"validationRows":1,"elapsed":"00:00:01"}}""", "scales finite and positive")]
    [InlineData("""{"detector":"autoencoder","version":1,"featureNames":["a","b"],"inputMean":[0,0],"inputScale":[1,1],"layers":[{"inputs":2,"outputs":2,"relu":false,"weights":[1,1,1],"bias":[0,0]}],"training":{"epochs":1,"bestEpoch":1,"bestValidationLoss":1,"trainLoss":[1],"validationLoss":[1],"trainingRows":1,"validationRows":1,"elapsed":"00:00:01"}}""", "needs 4 weights and 2 biases")]
    public void FromJson_rejects_documents_that_are_not_an_autoencoder(string json, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => Autoencoder.FromJson(json));

        Assert.Equal("json", error.ParamName);
        Assert.Contains(reason, error.Message);
    }

    /// <summary>The feature of row <paramref name="row"/> furthest from the normal rows, in their standard deviations.</summary>
    private static int MostShifted(FeatureMatrix test, int row)
    {
        var best = -1;
        var bestZ = double.NegativeInfinity;
        for (var f = 0; f < test.Columns; f++)
        {
            var column = Enumerable.Range(0, Normal.Rows).Select(r => (double)Normal[r, f]).ToArray();
            var mean = column.Average();
            var sd = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
            var z = Math.Abs(test[row, f] - mean) / sd;
            if (z > bestZ) (best, bestZ) = (f, z);
        }
        return best;
    }
}
