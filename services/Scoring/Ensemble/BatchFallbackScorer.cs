using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>How a batch without a model was scored: the scores, and a line for the run saying what they rest on.</summary>
public sealed record FallbackResult(EnsembleScores Scores, string Basis);

/// <summary>
/// Scoring for a dataset that has no active model yet, calibrated on the batch itself to keep a false-alarm budget.
/// Each feature's robust deviation |x - median| / scale becomes a tail probability within the batch
/// (<see cref="FeatureTail"/>: rank-based, so skewed, heavy-tailed and few-valued columns need no transform), and a
/// record's evidence is its smallest tail probability corrected for the number of features looked at (Bonferroni):
/// evidence = -ln(features x p_min), risk = 100 x (1 - features x p_min). Review when that corrected probability is
/// below 1% (risk 99), block below 0.1% (risk 99.9): at most about 1% of a batch of ordinary records is reviewed and
/// 0.1% blocked, whatever its columns look like, while a value far beyond the rest goes through the fitted tail.
/// </summary>
/// <remarks>
/// The batch's features are encoded in two passes: the medians and scales (a few features' columns per pass, whose
/// deviations also give the tails: of every row, of a sample of rows kept), then the scores, a chunk of rows at a
/// time, keeping only each row's risk, evidence and top columns. No pass holds the batch's feature matrix or its per-feature evidence, and the
/// fitted values and scores are those of the whole batch in one piece.
/// </remarks>
public static class BatchFallbackScorer
{
    /// <summary>Fewest rows for a batch to be its own reference; fewer are approved unjudged, and the run says so.</summary>
    public const int MinimumRows = 20;

    /// <summary>The name of the fallback's evidence in reports.</summary>
    public const string DetectorName = "column_tails";

    private const int SampleRows = 100_000;
    private const int RowsPerBlock = 4096;

    /// <summary>Feature columns gathered per pass while fitting medians and scales: 7 features of 600,000 rows.</summary>
    private const long ColumnBytes = 16 << 20;

    public static readonly DecisionThresholds Thresholds = new(Review: 99, Block: 99.9, ThresholdMethod.Percentile,
        "no model: per-column tail probability within the batch, Bonferroni-corrected, below 1% (review) / 0.1% (block)");

    /// <exception cref="FeaturePipelineException">No column besides the keys can be scored.</exception>
    public static FallbackResult Score(TypedTable table, IReadOnlyList<string> keyColumns, int chunkRows = ChunkedScorer.DefaultChunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        if (table.RowCount < MinimumRows)
            return Unjudged(table.RowCount, [],
                $"no model yet, and {table.RowCount} rows are too few to score a batch against itself (at least {MinimumRows}): every row approved unjudged");
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = keyColumns });
        var features = pipeline.Bind(table);
        var rows = features.Rows;
        var options = new StatisticalDetectorOptions();
        var deviations = new SampledDeviations(rows, features.FeatureNames.Count, options.MaxZ);
        var detector = StatisticalDetector.Fit(features, ColumnBytes, options, deviations.Take);
        var (tails, varying) = deviations.FitTails();
        if (varying == 0)
            return Unjudged(rows, pipeline.Sources, "no model yet, and no column varies within the batch: every row approved unjudged");

        var correction = Math.Log(varying);
        var width = features.FeatureNames.Count;
        var evidence = new double[rows];
        var risk = new double[rows];
        var explanations = new RowExplanations(rows, pipeline.Sources);
        foreach (var (first, chunk) in features.Chunks(chunkRows))
        {
            // Each deviation is replaced by its evidence, in place: the chunk's contributions to explain its rows.
            var contributions = detector.Score(chunk).Contributions!;
            Parallel.For(0, (chunk.Rows + RowsPerBlock - 1) / RowsPerBlock, block =>
            {
                var end = Math.Min(chunk.Rows, (block + 1) * RowsPerBlock);
                for (var row = block * RowsPerBlock; row < end; row++)
                {
                    var largest = 0.0;
                    for (var f = 0; f < width; f++)
                    {
                        var e = tails[f].Evidence(contributions[row * width + f]);
                        contributions[row * width + f] = (float)e;
                        largest = Math.Max(largest, e);
                    }
                    evidence[first + row] = Math.Max(0, largest - correction);
                    risk[first + row] = EnsembleModel.RiskOf(evidence[first + row]);
                }
            });
            explanations.Add(contributions, first);
        }
        var scores = new EnsembleScores(risk, evidence, Thresholds, explanations)
        {
            DetectorEvidence = new Dictionary<string, float[]> { [DetectorName] = [.. evidence.Select(e => (float)e)] },
        };
        return new FallbackResult(scores,
            $"no model yet: per-column tail probabilities within the batch ({varying} varying features)");
    }

    /// <summary>
    /// Each feature's deviations (|z| as <see cref="StatisticalDetector.Score"/> gives them, to the bit) of every
    /// (rows / <see cref="SampleRows"/>)-th row (every row of a batch under twice <see cref="SampleRows"/>), taken from the
    /// columns the fit gathers, and whether they vary at all: only features that do are looked at (and counted in the
    /// correction), a constant one tells no row apart.
    /// </summary>
    private sealed class SampledDeviations(int rows, int width, float maxZ)
    {
        private readonly int _step = Math.Max(1, rows / SampleRows);
        private readonly float[][] _samples = new float[width][];
        private readonly bool[] _varies = new bool[width];

        /// <summary>Takes one feature's sample; called once per feature, from any thread.</summary>
        public void Take(int feature, ReadOnlySpan<float> column, float median, float scale)
        {
            // The detector's arithmetic in float, operation by operation: (x - median) x (1 / scale), absolute, clipped.
            var inverse = 1f / scale;
            var sample = new float[(rows + _step - 1) / _step];
            for (var k = 0; k < sample.Length; k++) sample[k] = Deviation(column[k * _step]);
            _samples[feature] = sample;
            var first = Deviation(column[0]);
            var row = 1;
            while (row < column.Length && Deviation(column[row]) == first) row++;
            _varies[feature] = row < column.Length;

            float Deviation(float x) => MathF.Min(MathF.Abs((x - median) * inverse), maxZ);
        }

        /// <summary>Each feature's tail, and how many features vary.</summary>
        public (FeatureTail[] Tails, int Varying) FitTails()
        {
            var tails = new FeatureTail[width];
            Parallel.For(0, width, f => tails[f] = FeatureTail.Fit(_samples[f]));
            return (tails, _varies.Count(v => v));
        }
    }

    private static FallbackResult Unjudged(int rows, IReadOnlyList<FeatureSource> sources, string basis) =>
        new(new EnsembleScores(new double[rows], new double[rows], Thresholds, null, sources.Count, sources), basis);
}
