using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Scoring.UnitTests.Features;
using Vigil.Scoring.UnitTests.Models;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>
/// A batch without a model is scored a chunk of rows at a time (<see cref="BatchFallbackScorer"/>), and its risk,
/// evidence, decisions, top features and detector evidence are, to the bit, those of the fallback as it scored the
/// whole batch in one piece (<see cref="WholeBatch"/>, kept here as the reference).
/// </summary>
public sealed class ChunkedFallbackTests
{
    private static readonly string[] Keys = ["id"];
    private static readonly int[] Outliers = [0, 999, 1_000, 2_500, 5_002];

    [Fact]
    public void Chunks_that_do_not_divide_the_batch_give_the_whole_batch_fallback_scores()
    {
        var table = SpillScoringTests.Read(SpillScoringTests.ShopCsv(5_003, seed: 6, outliers: Outliers));

        var chunked = BatchFallbackScorer.Score(table, Keys, chunkRows: 1_000);

        var whole = WholeBatch(table);
        SameScores(whole.Scores, chunked.Scores, table.RowCount);
        Assert.Equal(whole.Basis, chunked.Basis);
        // Not a comparison of two empty results: the outliers, on both sides of chunk edges, are blocked for the amount.
        foreach (var row in Outliers)
        {
            Assert.Equal("block", chunked.Scores.Decision(row));
            Assert.Equal("amount", chunked.Scores.TopFeatures(row)[0]);
        }
    }

    [Fact]
    public void A_batch_whose_tails_are_fitted_on_a_sample_of_rows_gives_the_whole_batch_fallback_scores()
    {
        // Over twice the tails' 100,000 sampled rows, so every other row is sampled, across chunk edges.
        int[] outliers = [1, 30_000, 30_001, 200_000, 250_000];
        var table = WithAmountsTimesAThousand(FeaturePipelineTests.Generated(250_001, seed: 21), outliers);

        var chunked = BatchFallbackScorer.Score(table, Keys, chunkRows: 30_001);

        var whole = WholeBatch(table);
        SameScores(whole.Scores, chunked.Scores, table.RowCount);
        foreach (var row in outliers) Assert.Equal("block", chunked.Scores.Decision(row));
    }

    [Fact]
    public void A_small_batch_with_a_heavy_tail_fit_gives_the_whole_batch_fallback_scores()
    {
        var table = SpillScoringTests.Read(SpillScoringTests.ShopCsv(120, seed: 7, outliers: [5, 64]));

        var chunked = BatchFallbackScorer.Score(table, Keys, chunkRows: 32);

        SameScores(WholeBatch(table).Scores, chunked.Scores, table.RowCount);
        Assert.Equal("block", chunked.Scores.Decision(64));
    }

    private static TypedTable WithAmountsTimesAThousand(TypedTable table, int[] rows)
    {
        var amount = table["amount"];
        var values = Enumerable.Range(0, table.RowCount).Select(r => amount.GetDouble(r) * (rows.Contains(r) ? 1_000 : 1)).ToArray();
        var nulls = Enumerable.Range(0, table.RowCount).Select(r => amount.IsNull(r) && !rows.Contains(r)).ToArray();
        return new TypedTable([.. table.Columns.Select(c => c.Name == "amount" ? Column.Decimals("amount", values, nulls) : c)], table.RowCount);
    }

    /// <summary>Equal to the bit: the same values in the same order, and the same decisions and top columns row by row.</summary>
    private static void SameScores(EnsembleScores expected, EnsembleScores actual, int rows)
    {
        var all = Enumerable.Range(0, rows).ToArray();
        Assert.Equal(rows, actual.Risk.Count);
        Assert.Equal(expected.Risk, actual.Risk);
        Assert.Equal(expected.Evidence, actual.Evidence);
        Assert.Equal(all.Select(expected.Decision), all.Select(actual.Decision));
        Assert.Equal(all.Select(r => string.Join(' ', expected.TopFeatures(r))), all.Select(r => string.Join(' ', actual.TopFeatures(r))));
        Assert.Equal(expected.DetectorEvidence.Keys, actual.DetectorEvidence.Keys);
        foreach (var (detector, values) in expected.DetectorEvidence) Assert.Equal(values, actual.DetectorEvidence[detector]);
    }

    /// <summary>The fallback as it was before it went through a batch in chunks: every step over the whole feature matrix.</summary>
    private static FallbackResult WholeBatch(TypedTable table)
    {
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = Keys });
        var features = pipeline.Transform(table);
        var (rows, width) = (features.Rows, features.Columns);
        var deviations = StatisticalDetector.Fit(features).Score(features).Contributions!;
        var step = Math.Max(1, rows / 100_000);
        var tails = new FeatureTail[width];
        for (var f = 0; f < width; f++)
        {
            var sample = new float[(rows + step - 1) / step];
            for (var i = 0; i < sample.Length; i++) sample[i] = deviations[i * step * width + f];
            tails[f] = FeatureTail.Fit(sample);
        }
        var varying = Enumerable.Range(0, width).Count(f => Enumerable.Range(1, rows - 1).Any(r => deviations[r * width + f] != deviations[f]));
        var correction = Math.Log(varying);
        var evidence = new double[rows];
        var risk = new double[rows];
        var contributions = new float[rows * width];
        for (var row = 0; row < rows; row++)
        {
            var largest = 0.0;
            for (var f = 0; f < width; f++)
            {
                var e = tails[f].Evidence(deviations[row * width + f]);
                contributions[row * width + f] = (float)e;
                largest = Math.Max(largest, e);
            }
            evidence[row] = Math.Max(0, largest - correction);
            risk[row] = EnsembleModel.RiskOf(evidence[row]);
        }
        var scores = new EnsembleScores(risk, evidence, BatchFallbackScorer.Thresholds, contributions, width, pipeline.Sources)
        {
            DetectorEvidence = new Dictionary<string, float[]> { [BatchFallbackScorer.DetectorName] = [.. evidence.Select(e => (float)e)] },
        };
        return new FallbackResult(scores, $"no model yet: per-column tail probabilities within the batch ({varying} varying features)");
    }
}
