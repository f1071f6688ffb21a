using Vigil.Scoring.Ensemble;
using Vigil.Scoring.UnitTests.Models;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>
/// The explaining detector runs over chunks of rows and its contributions are reduced to each row's top columns as they
/// come: the scores, evidence and top features are the same as with the whole batch in one piece.
/// </summary>
public sealed class ChunkedExplanationTests
{
    [Fact]
    public void Chunks_that_do_not_divide_the_batch_give_the_same_scores_and_top_features_as_one_piece()
    {
        var (model, _) = EnsembleTrainer.Train(SpillScoringTests.Read(SpillScoringTests.ShopCsv(2_000, seed: 1)), EnsembleTests.Fast);
        var features = model.Pipeline.Transform(SpillScoringTests.Read(SpillScoringTests.ShopCsv(5_003, seed: 6, outliers: [0, 999, 1_000, 5_002])));

        var whole = model.Score(features, runtime: null, explainChunkRows: int.MaxValue);
        var chunked = model.Score(features, runtime: null, explainChunkRows: 1_000);

        Assert.Equal(whole.Risk.Select(BitConverter.DoubleToInt64Bits), chunked.Risk.Select(BitConverter.DoubleToInt64Bits));
        foreach (var (detector, evidence) in whole.DetectorEvidence) Assert.Equal(evidence, chunked.DetectorEvidence[detector]);
        var rows = Enumerable.Range(0, features.Rows).ToArray();
        Assert.Equal(rows.Select(r => string.Join(' ', whole.TopFeatures(r))), rows.Select(r => string.Join(' ', chunked.TopFeatures(r))));
        // Not a comparison of two empty explanations: the outliers at the chunk edges are explained by the amount.
        Assert.Contains("amount", chunked.TopFeatures(999));
        Assert.Contains("amount", chunked.TopFeatures(1_000));
        Assert.Contains("amount", chunked.TopFeatures(5_002));
    }

    [Fact]
    public void Explanations_keep_at_most_three_positive_columns_strongest_first()
    {
        var sources = new[] { "a", "b", "a", "c", "d", "e" }
            .Select((column, f) => new Vigil.Scoring.Features.FeatureSource($"f{f}", column, Vigil.Scoring.Features.FeatureEncoding.Numeric, Vigil.Scoring.Features.FeatureKind.Value))
            .ToArray();
        var explanations = new RowExplanations(rows: 2, sources);
        // Row 0: a = 1 + 2, b = 4, c = 0.5, d = 5, e = 0 -> d, b, a. Row 1: only c is positive.
        explanations.Add([1, 4, 2, 0.5f, 5, 0, /* row 1 */ -1, -2, 0, 3, 0, -4], first: 0);

        Span<int> top = stackalloc int[3];
        var found = explanations.Top(0, top);
        Assert.Equal(["d", "b", "a"], top[..found].ToArray().Select(i => explanations.Names[i]));
        found = explanations.Top(1, top);
        Assert.Equal(["c"], top[..found].ToArray().Select(i => explanations.Names[i]));
    }
}
