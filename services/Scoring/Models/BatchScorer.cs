using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Storage;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Models;

/// <summary>
/// Scores a validated batch with the dataset's active model (or, without one, the statistical detector fitted on the
/// batch itself, and the device line says so), stores its anomalies and score summary, and lets a model under test
/// score it too where the shadow share says so. Reads the batch's columnar spill when Validation left one.
/// </summary>
public sealed partial class BatchScorer(
    ScoringStore store, ModelRegistry models, ScoringEngines engines, BatchLoader loader,
    Microsoft.Extensions.Options.IOptions<ScoringOptions> options, ILogger<BatchScorer> logger)
{
    public async Task<BatchScoring> ScoreAsync(BatchRecord batch, StepClock clock, CancellationToken token)
    {
        await store.RememberBatchAsync(batch, token);
        var (table, fromSpill) = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, batch.ColumnsKey, token);
        clock.Lap(fromSpill ? "read spill" : "read and parse");
        if (ScoringSkip.Reason(table, batch.KeyColumns) is { } skipped) return new BatchScoring.Skipped(table.RowCount, skipped);

        var active = await models.ActiveAsync(batch.Dataset, token);
        EnsembleScores scores;
        string device;
        IReadOnlyDictionary<string, double> drift = new Dictionary<string, double>();
        try
        {
            if (active is { } model)
            {
                (var scored, device) = await ScoreAsync(batch.Dataset, model.Version, model.Model, table, token);
                (scores, drift) = (scored.Scores, scored.Drift);
                clock.Lap("chunked scoring");
            }
            else
            {
                var fallback = BatchFallbackScorer.Score(table, batch.KeyColumns);
                scores = fallback.Scores;
                device = engines.ManagedDevice(fallback.Basis);
                clock.Lap("fallback scoring");
            }
        }
        catch (Exception e) when (e is FeaturePipelineException or UploadedModelUnavailableException)
        {
            return new BatchScoring.Failed(e switch
            {
                FeaturePipelineException when active is null => $"Scoring without a model: {e.Message}",
                FeaturePipelineException => $"The batch does not fit model v{active?.Version}: {e.Message}",
                _ => $"Model v{active?.Version}: {e.Message}",
            });
        }

        var anomalies = await StoreAsync(batch.RunId, active?.Version ?? 0, "primary", table, batch.KeyColumns, scores, drift, token);
        clock.Lap("anomalies stored");
        if (active is not null && options.Value.InShadowShare(batch.RunId) && await ShadowScoreAsync(batch, table, token)) clock.Lap("shadow model");
        return new BatchScoring.Scored(table, scores, anomalies, active?.Version, device, drift);
    }

    /// <summary>Stores one scoring of the run: its anomalies (binary COPY) and its summary with the feature drift it saw.</summary>
    private async Task<List<AnomalyRecord>> StoreAsync(Guid runId, int version, string role, TypedTable table, IReadOnlyList<string> keyColumns,
        EnsembleScores scores, IReadOnlyDictionary<string, double> drift, CancellationToken token)
    {
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var anomalies = Enumerable.Range(0, table.RowCount)
            .Where(row => scores.Decision(row) != Decisions.Approve)
            .Select(row => new AnomalyRecord(row + 1, version, keys.ToDictionary(k => k.Name, k => k.IsNull(row) ? null : k.GetText(row)),
                scores.Risk[row], scores.Decision(row), scores.TopFeatures(row)))
            .ToList();
        await store.SaveAnomaliesAsync(runId, version, anomalies, token);
        await store.SaveScoreAsync(new ScoreRecord(runId, version, role, scores.DecisionCounts(), anomalies.Count, drift), token);
        return anomalies;
    }

    /// <summary>
    /// A model under test scores the batch too; its result is stored beside the active one's and published nowhere.
    /// False when the dataset has no model under test.
    /// </summary>
    private async Task<bool> ShadowScoreAsync(BatchRecord batch, TypedTable table, CancellationToken token)
    {
        if (await models.TestingAsync(batch.Dataset, token) is not { } testing) return false;
        try
        {
            var (scored, _) = await ScoreAsync(batch.Dataset, testing.Version, testing.Model, table, token);
            await StoreAsync(batch.RunId, testing.Version, "shadow", table, batch.KeyColumns, scored.Scores, scored.Drift, token);
        }
        catch (Exception e) when (e is FeaturePipelineException or UploadedModelUnavailableException)
        {
            LogShadowFailed(logger, batch.RunId, testing.Version, e.Message);
        }
        return true;
    }

    /// <summary>
    /// Scores the batch in chunks of rows (<see cref="ChunkedScorer"/>: features, detectors and drift a chunk at a time),
    /// on ONNX Runtime where the model version loaded there; a failure inside the runtime (a GPU out of memory, say)
    /// scores this batch on the managed scorer instead, and the device line says so.
    /// </summary>
    private async Task<(ScoredRows Scored, string Device)> ScoreAsync(string dataset, int version, EnsembleModel model, TypedTable table,
        CancellationToken token)
    {
        using var lease = await engines.ForAsync(dataset, version, model, token);
        var engine = lease.Engine;
        if (engine.Detectors is null) return (ChunkedScorer.Score(model, table, runtime: null), engine.Device);
        try
        {
            return (ChunkedScorer.Score(model, table, engine.Detectors), engine.Device);
        }
        catch (OnnxRuntimeException e)
        {
            LogRuntimeFailed(logger, dataset, version, e.Message);
            return (ChunkedScorer.Score(model, table, runtime: null), engines.ManagedDevice($"ONNX Runtime failed on this batch: {e.Message}"));
        }
    }

    [LoggerMessage(LogLevel.Warning, "ONNX Runtime could not score {Dataset} v{Version}; the managed scorer takes this batch: {Reason}")]
    private static partial void LogRuntimeFailed(ILogger logger, string dataset, int version, string reason);

    [LoggerMessage(LogLevel.Warning, "Shadow model v{Version} could not score run {RunId}: {Reason}")]
    private static partial void LogShadowFailed(ILogger logger, Guid runId, int version, string reason);
}
