using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class EnsembleTests
{
    internal static readonly TrainingRequest Fast = new()
    {
        KeyColumns = ["id"],
        Autoencoder = new() { MaxEpochs = 5 },
        IsolationForest = new() { Trees = 50 },
    };

    [Fact]
    public void Injected_outliers_get_the_highest_risk_and_are_flagged()
    {
        var (model, _) = EnsembleTrainer.Train(Orders(2000, seed: 1, outliers: []), Fast);
        int[] injected = [17, 230, 777];

        var scores = model.Score(Orders(1000, seed: 2, outliers: injected));

        var top = Enumerable.Range(0, 1000).OrderByDescending(r => scores.Risk[r]).Take(3).ToHashSet();
        Assert.Equal(injected.ToHashSet(), top);
        Assert.All(injected, row => Assert.NotEqual("approve", scores.Decision(row)));
        Assert.Contains("total", scores.TopFeatures(230));
    }

    [Fact]
    public void A_model_read_back_from_json_scores_identically()
    {
        var (model, _) = EnsembleTrainer.Train(Orders(800, seed: 1, outliers: []), Fast);
        var batch = Orders(300, seed: 5, outliers: [3]);

        var again = EnsembleModel.FromJson(model.ToJson());

        Assert.Equal(model.Score(batch).Risk, again.Score(batch).Risk);
        Assert.Equal(model.Thresholds, again.Thresholds);
    }

    [Fact]
    public void Thresholds_sit_at_the_99th_and_999th_percentile_of_held_out_risk_and_metrics_say_what_was_trained()
    {
        var (model, metrics) = EnsembleTrainer.Train(Orders(1000, seed: 1, outliers: []), Fast);

        Assert.True(model.Thresholds.Review <= model.Thresholds.Block);
        Assert.Equal(model.Thresholds.Review, metrics.RiskPercentiles["p99"]);
        Assert.Equal(1000, metrics.TrainingRows + metrics.CalibrationRows + metrics.TrimmedRows);
        Assert.Null(metrics.Labelled);
    }

    [Fact]
    public void With_a_label_column_positives_are_left_out_of_training_and_metrics_are_measured()
    {
        var table = Orders(1500, seed: 1, outliers: [10, 20, 30, 40, 50], labelled: true);

        var (_, metrics) = EnsembleTrainer.Train(table, Fast with { LabelColumn = "label" });

        Assert.Equal(5, metrics.ExcludedRows);
        Assert.Equal(5, metrics.Labelled!.Positives);
        Assert.True(metrics.Labelled.RocAuc > 0.9, $"ROC-AUC {metrics.Labelled.RocAuc}");
    }

    [Fact]
    public void Without_labels_the_highest_scoring_fitting_records_are_trimmed_before_the_final_fit()
    {
        int[] outliers = [.. Enumerable.Range(0, 20).Select(i => 37 * i + 5)];
        var table = Orders(2000, seed: 1, outliers: outliers);

        var (_, trimmed) = EnsembleTrainer.Train(table, Fast);
        var (_, untrimmed) = EnsembleTrainer.Train(table, Fast with { TrimShare = 0 });

        Assert.Equal(0, untrimmed.TrimmedRows);
        Assert.Equal((int)(untrimmed.TrainingRows * 0.01), trimmed.TrimmedRows);
        Assert.Equal(untrimmed.TrainingRows, trimmed.TrainingRows + trimmed.TrimmedRows);
        Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(table, Fast with { TrimShare = 0.7 }));
    }

    [Fact]
    public void Training_on_too_few_normal_records_fails_with_the_reason()
    {
        var error = Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(Orders(30, seed: 1, outliers: []), Fast));

        Assert.Contains("at least 50 normal records", error.Message);
    }

    [Fact]
    public void An_all_anomalous_training_set_fails_with_the_reason()
    {
        var table = Orders(100, seed: 1, outliers: [.. Enumerable.Range(0, 100)], labelled: true);

        var error = Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(table, Fast with { LabelColumn = "label" }));

        Assert.Contains("has 0", error.Message);
    }

    [Fact]
    public void Scoring_a_batch_without_a_column_the_model_needs_names_the_column()
    {
        var (model, _) = EnsembleTrainer.Train(Orders(500, seed: 1, outliers: []), Fast);
        var batch = TypedTable.FromRows(["id", "quantity", "unit_price"], [["1", "2", "3.5"]]);

        var error = Assert.Throws<FeaturePipelineException>(() => model.Score(batch));

        Assert.Contains("total", error.Message);
    }

    [Fact]
    public void Feature_drift_is_near_zero_for_the_same_distribution_and_large_for_a_shifted_one()
    {
        var (model, _) = EnsembleTrainer.Train(Orders(2000, seed: 1, outliers: []), Fast);

        var same = model.Reference!.Psi(model.Pipeline.Transform(Orders(2000, seed: 9, outliers: [])));
        var shifted = model.Reference.Psi(model.Pipeline.Transform(Orders(2000, seed: 9, outliers: [], priceScale: 3)));

        Assert.True(same["unit_price"] < 0.1, $"same distribution PSI {same["unit_price"]}");
        Assert.True(shifted["unit_price"] > 0.25, $"shifted PSI {shifted["unit_price"]}");
    }

    /// <summary>Orders where total = quantity x unit price; an outlier breaks that product (a correlation, not a range).</summary>
    internal static TypedTable Orders(int rows, int seed, int[] outliers, bool labelled = false, double priceScale = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder(labelled ? "id,quantity,unit_price,total,label\n" : "id,quantity,unit_price,total\n");
        for (var i = 0; i < rows; i++)
        {
            var quantity = 1 + random.Next(10);
            var price = Math.Round((5 + random.NextDouble() * 20) * priceScale, 2);
            var total = Math.Round(quantity * price, 2);
            var outlier = outliers.Contains(i);
            if (outlier) total = Math.Round(total * 6 + 400, 2);
            text.Append(CultureInfo.InvariantCulture, $"o-{i},{quantity},{price},{total}");
            text.Append(labelled ? (outlier ? ",1\n" : ",0\n") : "\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), TableReader.CsvMediaType);
    }
}
