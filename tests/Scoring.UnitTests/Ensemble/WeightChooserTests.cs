using Vigil.Scoring.Ensemble;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class WeightChooserTests
{
    private static double[] Weights(EnsembleWeights w) => [w.Statistical, w.IsolationForest, w.Autoencoder, w.Relations, w.Histogram];

    [Fact]
    public void Synthetic_anomalies_never_hand_all_the_weight_to_one_detector()
    {
        var (model, _) = EnsembleTrainer.Train(EnsembleTests.Orders(2000, seed: 1, outliers: []), EnsembleTests.Fast);

        var weights = Weights(model.Weights);

        Assert.StartsWith("perturbations", model.Weights.Source);
        Assert.Equal(1, weights.Sum(), 3);
        // Shrunk toward equal: every informative detector keeps at least (1 - trust) of its equal share.
        Assert.All(weights, w => Assert.True(w >= (1 - WeightChooser.SyntheticTrust) / weights.Length - 1e-6, $"weights {string.Join(", ", weights)}"));
    }

    [Fact]
    public void Synthetic_anomalies_move_the_weights_but_no_detector_gets_more_than_the_trust_plus_its_equal_share()
    {
        // Orders carry an exact relation (total = quantity x price), which the synthetic column swaps and scattered
        // records break: the logistic fit favours the relations detector, the shrinkage bounds how far.
        var (model, _) = EnsembleTrainer.Train(EnsembleTests.Orders(2000, seed: 3, outliers: []), EnsembleTests.Fast);

        var weights = Weights(model.Weights);
        var informative = weights.Count(w => w > 0);

        Assert.StartsWith("perturbations", model.Weights.Source);
        Assert.True(weights.Max() - weights.Min() > 0.01, $"the synthetic fit moved no weight: {string.Join(", ", weights)}");
        Assert.All(weights, w => Assert.True(w <= WeightChooser.SyntheticTrust + (1 - WeightChooser.SyntheticTrust) / informative + 1e-6,
            $"weights {string.Join(", ", weights)}"));
        Assert.True(weights.Max() < 0.5, $"one detector holds half the weight or more: {string.Join(", ", weights)}");
    }

    /// <summary>Evidence for 400 normal records then 40 anomalies; <paramref name="sees"/> says which anomalies stand out.</summary>
    private static double[] Evidence(int seed, Func<int, bool> sees)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 440).Select(r => r >= 400 && sees(r - 400) ? 6 + random.NextDouble() : 3 * random.NextDouble())];
    }

    private static readonly bool[] TrueLabels = [.. Enumerable.Range(0, 440).Select(r => r >= 400)];

    [Fact]
    public void With_labels_a_detector_that_alone_ranks_as_well_as_the_combination_takes_all_the_weight()
    {
        // The relations detector sees every labelled anomaly; the histogram sees none, and a tenth of its noise can
        // only push normal records above anomalies.
        double[][] evidence = [Evidence(1, _ => true), Evidence(2, _ => false)];

        var alone = WeightChooser.BetterAlone(evidence, [0.9, 0.1], [false, false], TrueLabels);

        Assert.NotNull(alone);
        Assert.Equal(0, alone.Value.Index);
        Assert.True(alone.Value.PrAuc >= alone.Value.CombinedPrAuc);
    }

    [Fact]
    public void With_labels_a_combination_that_ranks_better_than_each_detector_is_kept()
    {
        // Each detector sees half of the anomalies: together they see all of them.
        double[][] evidence = [Evidence(3, a => a % 2 == 0), Evidence(4, a => a % 2 == 1)];

        Assert.Null(WeightChooser.BetterAlone(evidence, [0.5, 0.5], [false, false], TrueLabels));
    }

    [Fact]
    public void A_detector_that_scores_every_record_alike_gets_weight_0_and_the_source_says_so()
    {
        // Integers with few distinct values: nothing for the relations detector to predict, so it scores every record 0.
        var random = new Random(5);
        var table = TypedTable.FromRows(["id", "a", "b", "c"], Enumerable.Range(0, 1500)
            .Select(i => new[] { $"k{i}", random.Next(4).ToString(), random.Next(6).ToString(), random.Next(3).ToString() }));

        var (model, _) = EnsembleTrainer.Train(table, EnsembleTests.Fast);

        Assert.Equal(0, model.Weights.Relations);
        Assert.Contains("relations dropped", model.Weights.Source);
        Assert.True(model.Weights.IsolationForest > 0 && model.Weights.Statistical > 0);
        var risk = model.Score(table).Risk;
        Assert.True(risk.Distinct().Count() > 10, "the ensemble still tells records apart");
    }

    [Fact]
    public void All_constant_columns_fail_the_training_with_a_reason()
    {
        var table = TypedTable.FromRows(["id", "a", "b"], Enumerable.Range(0, 300).Select(i => new[] { $"k{i}", "7", "x" }));

        var error = Assert.Throws<TrainingException>(() => EnsembleTrainer.Train(table, EnsembleTests.Fast));

        Assert.Contains("same score", error.Message);
    }

    [Fact]
    public void Degenerate_evidence_is_recognised_and_varied_evidence_is_not()
    {
        var constant = Enumerable.Repeat(0.25, 1000).ToArray();
        var nearlyConstant = constant.Select((e, i) => i < 5 ? 3.0 : e).ToArray();
        var varied = Enumerable.Range(0, 1000).Select(i => i / 100.0).ToArray();

        Assert.True(WeightChooser.IsDegenerate(constant));
        Assert.True(WeightChooser.IsDegenerate(nearlyConstant));
        Assert.False(WeightChooser.IsDegenerate(varied));
    }
}
