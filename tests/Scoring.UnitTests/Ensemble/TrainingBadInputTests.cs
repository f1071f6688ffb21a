using System.Globalization;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>Training on the bad inputs gives a model that tells records apart, or a refusal with the reason (the API's 422).</summary>
public sealed class TrainingBadInputTests
{
    [Fact]
    public void A_batch_of_only_key_columns_is_refused_with_the_reason()
    {
        var table = TypedTable.FromRows(["id"], Enumerable.Range(0, 300).Select(i => new[] { $"k{i}" }));

        var error = Assert.Throws<FeaturePipelineException>(() => EnsembleTrainer.Train(table, EnsembleTests.Fast));

        Assert.Contains("No column of the training table can be a feature", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Zero_or_one_row_is_refused_with_the_reason(int rows)
    {
        var table = TypedTable.FromRows(["id", "amount"], Enumerable.Range(0, rows).Select(i => new[] { $"k{i}", "12.5" }));

        var error = Record.Exception(() => EnsembleTrainer.Train(table, EnsembleTests.Fast));

        Assert.True(error is TrainingException or FeaturePipelineException, $"got {error?.GetType().Name}: {error?.Message}");
        Assert.Matches("no rows|at least", error!.Message);
    }

    [Fact]
    public void A_single_numeric_column_trains_and_ranks_its_outlier_first()
    {
        var random = new Random(3);
        var table = TypedTable.FromRows(["id", "amount"], Enumerable.Range(0, 1000)
            .Select(i => new[] { $"k{i}", (50 + random.NextDouble() * 20).ToString("F2", CultureInfo.InvariantCulture) }));
        var batch = TypedTable.FromRows(["id", "amount"], Enumerable.Range(0, 200)
            .Select(i => new[] { $"b{i}", i == 7 ? "900" : (50 + random.NextDouble() * 20).ToString("F2", CultureInfo.InvariantCulture) }));

        var (model, _) = EnsembleTrainer.Train(table, EnsembleTests.Fast);
        var scores = model.Score(batch);

        Assert.Null(model.CoOccurrence);
        Assert.Equal(7, Enumerable.Range(0, 200).MaxBy(r => scores.Evidence[r]));
        Assert.NotEqual("approve", scores.Decision(7));
    }

    [Fact]
    public void An_empty_batch_scored_by_a_model_gives_no_rows_and_no_exception()
    {
        var (model, _) = EnsembleTrainer.Train(EnsembleTests.Orders(500, seed: 1, outliers: []), EnsembleTests.Fast);

        var scores = model.Score(EnsembleTests.Orders(0, seed: 2, outliers: []));

        Assert.Empty(scores.Risk);
        Assert.Equal(0, scores.DecisionCounts().Values.Sum());
    }
}
