using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Scoring.UnitTests.Models;
using Vigil.Scoring.UnitTests.Onnx;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>
/// The score stage goes through a batch in chunks of rows (features, detectors, drift) and keeps only each row's
/// result: risk, evidence, decisions, each detector's evidence, top features and drift are what scoring the whole
/// batch in one piece gives.
/// </summary>
public sealed class ChunkedScorerTests
{
    private static readonly int[] Outliers = [0, 999, 1_000, 2_500, 5_002];

    [Fact]
    public void Chunks_that_do_not_divide_the_batch_give_the_whole_batch_risk_decisions_evidence_top_features_and_drift()
    {
        var (model, table) = Trained();
        var features = model.Pipeline.Transform(table);
        var whole = model.Score(features);

        var chunked = ChunkedScorer.Score(model, table, runtime: null, chunkRows: 1_000);

        SameScores(whole, chunked.Scores, table.RowCount, tolerance: 0);
        Assert.Equal(model.Reference!.Psi(features), chunked.Drift);
        Assert.Contains(chunked.Drift.Values, psi => psi > 0.01);
        // Not a comparison of two empty results: the outliers, on both sides of chunk edges, are flagged for the amount.
        foreach (var row in Outliers)
        {
            Assert.NotEqual("approve", chunked.Scores.Decision(row));
            Assert.Contains("amount", chunked.Scores.TopFeatures(row));
        }
    }

    /// <summary>
    /// ONNX Runtime's float sums depend on how many rows one run has (in the last bits of a detector's score), so runs
    /// of a chunk's rows give evidence within 1e-5 (relative beyond 1 nat) of runs of more rows (1.6e-7 at most on 600,000 banking rows,
    /// tests/Scoring.Benchmarks --memory), and a risk (rounded to 4 decimals) may land on the next 0.0001.
    /// </summary>
    [Fact]
    public void Chunks_on_ONNX_Runtime_give_the_whole_batch_decisions_and_top_features_and_nearly_its_evidence()
    {
        var (model, table) = Trained();
        using var onnx = OnnxDetectorSet.Create(NativeOnnxRuntime.CpuHost, model, chunkRows: 2_048,
            only: new HashSet<string> { "statistical", "autoencoder" });
        var whole = model.Score(model.Pipeline.Transform(table), onnx.Detectors);

        var chunked = ChunkedScorer.Score(model, table, onnx.Detectors, chunkRows: 1_024);

        SameScores(whole, chunked.Scores, table.RowCount, tolerance: 1e-5, riskTolerance: 1e-4 + 1e-9);
        foreach (var row in Outliers) Assert.NotEqual("approve", chunked.Scores.Decision(row));
    }

    [Fact]
    public void A_batch_smaller_than_one_chunk_is_scored_in_one_piece()
    {
        var (model, table) = Trained();
        var whole = model.Score(model.Pipeline.Transform(table));

        var chunked = ChunkedScorer.Score(model, table, runtime: null);

        SameScores(whole, chunked.Scores, table.RowCount, tolerance: 0);
    }

    [Fact]
    public void An_empty_batch_has_no_scores_and_the_drift_of_no_rows()
    {
        var (model, table) = Trained();
        var empty = SpillScoringTests.Read(SpillScoringTests.ShopCsv(0, seed: 2));

        var chunked = ChunkedScorer.Score(model, empty, runtime: null, chunkRows: 1_000);

        Assert.Empty(chunked.Scores.Risk);
        Assert.Equal(model.Reference!.Psi(model.Pipeline.Transform(table).Select([])), chunked.Drift);
    }

    [Fact]
    public void A_batch_without_a_trained_column_fails_as_the_whole_batch_does()
    {
        var (model, _) = Trained();
        var table = SpillScoringTests.Read("id,merchant\n1,grocer\n"u8.ToArray());

        var whole = Assert.Throws<FeaturePipelineException>(() => model.Pipeline.Transform(table));
        var chunked = Assert.Throws<FeaturePipelineException>(() => ChunkedScorer.Score(model, table, runtime: null, chunkRows: 1));

        Assert.Equal(whole.Message, chunked.Message);
    }

    [Fact]
    public void A_range_of_rows_encodes_to_those_rows_of_the_whole_matrix_in_a_reused_array()
    {
        var (model, table) = Trained();
        var whole = model.Pipeline.Transform(table);
        var features = model.Pipeline.Bind(table);
        var reused = new float[700 * whole.Columns];

        var range = features.Encode(1_300, 700, reused);
        var last = features.Encode(table.RowCount - 3, 3, reused);

        Assert.Same(reused, range.Values);
        Assert.Equal(whole.Values.AsSpan(1_300 * whole.Columns, 700 * whole.Columns).ToArray(), range.Values);
        Assert.NotSame(reused, last.Values);
        Assert.Equal(whole.Values.AsSpan((table.RowCount - 3) * whole.Columns).ToArray(), last.Values);
        Assert.Throws<ArgumentOutOfRangeException>(() => features.Encode(table.RowCount - 3, 4));
    }

    [Fact]
    public void Gathered_features_are_the_columns_of_the_whole_matrix_whichever_features_a_pass_starts_and_ends_at()
    {
        var (model, table) = Trained();
        var whole = model.Pipeline.Transform(table);
        var features = model.Pipeline.Bind(table);
        var width = whole.Columns;

        // Passes that start and end inside an encoder's features (one-hot, null indicators) as well as at its edges.
        foreach (var (first, count) in new[] { (0, width), (0, 1), (1, 2), (width - 1, 1), (width / 2, width - width / 2), (2, 3) })
        {
            var columns = Enumerable.Range(0, count).Select(_ => new float[table.RowCount]).ToArray();
            features.Gather(first, columns);
            for (var c = 0; c < count; c++)
                Assert.Equal(Enumerable.Range(0, table.RowCount).Select(r => whole.Values[r * width + first + c]), columns[c]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => features.Gather(width - 1, [new float[table.RowCount], new float[table.RowCount]]));
    }

    private static (EnsembleModel Model, TypedTable Batch) Trained()
    {
        var (model, _) = EnsembleTrainer.Train(SpillScoringTests.Read(SpillScoringTests.ShopCsv(2_000, seed: 1)), EnsembleTests.Fast);
        return (model, SpillScoringTests.Read(SpillScoringTests.ShopCsv(5_003, seed: 6, outliers: Outliers, amountScale: 1.3)));
    }

    /// <summary>Within <paramref name="tolerance"/>, relative beyond 1 (a far outlier's tail evidence runs to thousands of nats).</summary>
    private static bool Close(double a, double b, double tolerance) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a));

    private static void SameScores(EnsembleScores expected, EnsembleScores actual, int rows, double tolerance, double? riskTolerance = null)
    {
        var all = Enumerable.Range(0, rows).ToArray();
        Assert.Equal(rows, actual.Risk.Count);
        Assert.Equal(expected.Risk, actual.Risk, (a, b) => riskTolerance is { } most ? Math.Abs(a - b) <= most : Close(a, b, tolerance));
        Assert.Equal(expected.Evidence, actual.Evidence, (a, b) => Close(a, b, tolerance));
        Assert.Equal(all.Select(expected.Decision), all.Select(actual.Decision));
        Assert.Equal(expected.DecisionCounts(), actual.DecisionCounts());
        Assert.Equal(all.Select(r => string.Join(' ', expected.TopFeatures(r))), all.Select(r => string.Join(' ', actual.TopFeatures(r))));
        Assert.Equal(expected.DetectorEvidence.Keys.Order(), actual.DetectorEvidence.Keys.Order());
        foreach (var (detector, values) in expected.DetectorEvidence)
            Assert.Equal(values, actual.DetectorEvidence[detector], (a, b) => Close(a, b, tolerance));
    }
}
