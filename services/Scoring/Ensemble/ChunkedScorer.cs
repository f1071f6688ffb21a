using Vigil.Scoring.Detectors;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>A batch's scores and each feature's drift against the model's training data (empty when the model has no reference).</summary>
public sealed record ScoredRows(EnsembleScores Scores, IReadOnlyDictionary<string, double> Drift);

/// <summary>
/// Scores a batch a chunk of rows at a time: each chunk's features are encoded into one reused array, scored, counted
/// for drift and dropped, so a batch never holds its whole feature matrix nor a detector's working arrays for all of
/// its rows; only each row's risk, evidence, decision inputs and top columns are kept. Every detector scores a row
/// independently of the others in its batch, so the result is the whole batch's.
/// </summary>
public static class ChunkedScorer
{
    /// <summary>
    /// 8 MiB of features at 64 per row; a multiple of the detectors' 4,096-row blocks and a divisor of ONNX Runtime's
    /// 65,536-row runs, so every row is computed in the same company it would be in with the whole batch.
    /// </summary>
    public const int DefaultChunkRows = 32_768;

    /// <summary>Scores every row of <paramref name="table"/>, with some detectors replaced by <paramref name="runtime"/>'s as <see cref="EnsembleModel.Score(Features.FeatureMatrix, IReadOnlyDictionary{string, IAnomalyDetector})"/> does.</summary>
    /// <exception cref="Features.FeaturePipelineException">The batch does not have the columns the model was trained with.</exception>
    public static ScoredRows Score(EnsembleModel model, TypedTable table, IReadOnlyDictionary<string, IAnomalyDetector>? runtime,
        int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        var features = model.Pipeline.Bind(table);
        var rows = features.Rows;
        var risk = new double[rows];
        var evidence = new double[rows];
        Dictionary<string, float[]>? byDetector = null;
        RowExplanations? explanations = new(rows, model.Pipeline.Sources);
        var drift = model.Reference is { } reference ? new FeatureDrift(reference) : null;
        // An empty batch is one empty chunk, so it is scored (and its drift counted) as the whole batch would be.
        foreach (var (first, chunk) in features.Chunks(chunkRows))
        {
            var part = model.Score(chunk, runtime);
            drift?.Add(chunk);
            Copy(part.Risk, risk, first);
            Copy(part.Evidence, evidence, first);
            byDetector ??= part.DetectorEvidence.ToDictionary(p => p.Key, _ => new float[rows]);
            foreach (var (name, values) in part.DetectorEvidence) values.CopyTo(byDetector[name], first);
            // A chunk without explanations (a detector that gives no contributions) leaves the batch without them.
            if (part.Explanations is { } explained) explanations?.CopyFrom(explained, first);
            else explanations = null;
        }
        var scores = new EnsembleScores(risk, evidence, model.Thresholds, explanations) { DetectorEvidence = byDetector! };
        return new ScoredRows(scores, drift?.Psi() ?? new Dictionary<string, double>());
    }

    private static void Copy(IReadOnlyList<double> chunk, double[] batch, int first)
    {
        for (var i = 0; i < chunk.Count; i++) batch[first + i] = chunk[i];
    }
}
