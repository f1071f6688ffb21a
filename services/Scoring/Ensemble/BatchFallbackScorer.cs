using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Scoring for a dataset that has no active model yet: the statistical detector fitted on the batch itself. Risk grows
/// with the largest robust |z| of a record (|z| of 12 or more is risk 100): review from |z| 6, block from |z| 12.
/// </summary>
public static class BatchFallbackScorer
{
    private const double BlockZ = 12;
    public static readonly DecisionThresholds Thresholds = new(Review: 50, Block: 100);

    public static EnsembleScores Score(TypedTable table, IReadOnlyList<string> keyColumns)
    {
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = keyColumns });
        var features = pipeline.Transform(table);
        var scores = StatisticalDetector.Fit(features).Score(features);
        var risk = scores.Scores.Select(z => Math.Round(Math.Min(100, 100 * z / BlockZ), 3)).ToArray();
        return new EnsembleScores(risk, [.. scores.Scores.Select(z => (double)z)], Thresholds, scores.Contributions, features.Columns, pipeline.Sources);
    }
}
