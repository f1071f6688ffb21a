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
public static class BatchFallbackScorer
{
    /// <summary>Fewest rows for a batch to be its own reference; fewer are approved unjudged, and the run says so.</summary>
    public const int MinimumRows = 20;

    /// <summary>The name of the fallback's evidence in reports.</summary>
    public const string DetectorName = "column_tails";

    private const int SampleRows = 100_000;
    private const int RowsPerBlock = 4096;
    public static readonly DecisionThresholds Thresholds = new(Review: 99, Block: 99.9, ThresholdMethod.Percentile,
        "no model: per-column tail probability within the batch, Bonferroni-corrected, below 1% (review) / 0.1% (block)");

    /// <exception cref="FeaturePipelineException">No column besides the keys can be scored.</exception>
    public static FallbackResult Score(TypedTable table, IReadOnlyList<string> keyColumns)
    {
        if (table.RowCount < MinimumRows)
            return Unjudged(table.RowCount, [],
                $"no model yet, and {table.RowCount} rows are too few to score a batch against itself (at least {MinimumRows}): every row approved unjudged");
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = keyColumns });
        var features = pipeline.Transform(table);
        var rows = features.Rows;
        var width = features.Columns;

        var deviations = StatisticalDetector.Fit(features).Score(features).Contributions!;
        var step = Math.Max(1, rows / SampleRows);
        var tails = new FeatureTail?[width];
        Parallel.For(0, width, f =>
        {
            var sample = new float[(rows + step - 1) / step];
            for (var i = 0; i < sample.Length; i++) sample[i] = deviations[i * step * width + f];
            tails[f] = FeatureTail.Fit(sample);
        });
        // Only features that vary are looked at (and counted in the correction): a constant one tells no row apart.
        var varying = Enumerable.Range(0, width).Count(f => HasSpread(deviations, f, width, rows));
        if (varying == 0)
            return Unjudged(rows, pipeline.Sources, "no model yet, and no column varies within the batch: every row approved unjudged");

        var correction = Math.Log(varying);
        var evidence = new double[rows];
        var risk = new double[rows];
        var contributions = new float[rows * width];
        Parallel.For(0, (rows + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            var end = Math.Min(rows, (block + 1) * RowsPerBlock);
            for (var row = block * RowsPerBlock; row < end; row++)
            {
                var largest = 0.0;
                for (var f = 0; f < width; f++)
                {
                    var e = tails[f]!.Evidence(deviations[row * width + f]);
                    contributions[row * width + f] = (float)e;
                    largest = Math.Max(largest, e);
                }
                evidence[row] = Math.Max(0, largest - correction);
                risk[row] = EnsembleModel.RiskOf(evidence[row]);
            }
        });
        var scores = new EnsembleScores(risk, evidence, Thresholds, contributions, width, pipeline.Sources)
        {
            DetectorEvidence = new Dictionary<string, float[]> { [DetectorName] = [.. evidence.Select(e => (float)e)] },
        };
        return new FallbackResult(scores,
            $"no model yet: per-column tail probabilities within the batch ({varying} varying features)");
    }

    private static bool HasSpread(float[] deviations, int feature, int width, int rows)
    {
        var first = deviations[feature];
        for (var row = 1; row < rows; row++)
            if (deviations[row * width + feature] != first) return true;
        return false;
    }

    private static FallbackResult Unjudged(int rows, IReadOnlyList<FeatureSource> sources, string basis) =>
        new(new EnsembleScores(new double[rows], new double[rows], Thresholds, null, sources.Count, sources), basis);
}
