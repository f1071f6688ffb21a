using MassTransit;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Models;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.ServiceDefaults.Messaging;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Events;

/// <summary>
/// Scores one micro-batch of streamed events: the dataset's active model when there is one, and always the entities'
/// rolling statistics in Redis (which alone decide without a model); stores the micro-batch and its anomalies, and
/// publishes <see cref="EventAnomaliesDetected"/> when there are some. Safe to run twice on one message.
/// </summary>
public sealed partial class EventsAcceptedConsumer(
    ActiveModels models, ScoringEngines engines, EntityStatisticsStore statistics, EventAnomalyStore store, IOptions<EventScoringOptions> options,
    TimeProvider clock, ILogger<EventsAcceptedConsumer> logger) : IConsumer<EventsAccepted>
{
    private const int TopAnomalyCount = 5;

    public async Task Consume(ConsumeContext<EventsAccepted> context)
    {
        var batch = context.Message;
        var token = context.CancellationToken;
        var table = EventTable.Read(batch.Events);
        var active = await models.ActiveAsync(batch.Dataset, token);
        var modelScores = active is { } model ? await TryScoreAsync(model.Model, model.Version, batch, table, token) : null;

        var tracked = EventTable.TrackedColumns(table, batch, options.Value.MaxTrackedColumns);
        var observations = EventTable.Observations(table, batch.EntityColumn, tracked);
        var scores = await statistics.ScoreAndAddAsync(batch.Dataset, batch.BatchId, observations);
        var verdicts = EventVerdicts.Decide(table.RowCount, observations, scores, modelScores, options.Value);
        var version = modelScores is null ? 0 : active!.Value.Version;

        var scoredAt = clock.GetUtcNow();
        var everyScore = Verdicts(batch, table, verdicts, version, scoredAt);
        var anomalies = everyScore.Where(v => v.Decision != Decisions.Approve).ToList();
        var record = new EventBatchRecord(batch.BatchId, batch.Dataset, batch.Events.Count, anomalies.Count, version,
            batch.Events.Min(e => e.AcceptedAt), batch.Events.Max(e => e.AcceptedAt), scoredAt);
        if (!await store.SaveAsync(record, anomalies, token, options.Value.KeepEveryScore ? everyScore : null) || anomalies.Count == 0) return;

        await context.PublishBoundedAsync(new EventAnomaliesDetected
        {
            BatchId = batch.BatchId,
            Dataset = batch.Dataset,
            EventCount = batch.Events.Count,
            AnomalyCount = anomalies.Count,
            DecisionCounts = verdicts.GroupBy(v => v.Decision).ToDictionary(g => g.Key, g => (long)g.Count()),
            TopAnomalies = [.. anomalies.OrderByDescending(a => a.Risk).Take(TopAnomalyCount)
                .Select(a => new ScoredAnomaly(a.EventIndex + 1, a.Key, a.Risk, a.Decision, a.TopFeatures))],
            ModelVersion = version == 0 ? null : $"v{version}",
            ScoredAt = scoredAt,
        });
    }

    /// <summary>
    /// The model's scores, on ONNX Runtime where the version runs there as for batches; null (and a warning) when the
    /// events lack what the model was trained on or the model cannot run here (an uploaded graph without ONNX Runtime).
    /// </summary>
    private async Task<EnsembleScores?> TryScoreAsync(EnsembleModel model, int version, EventsAccepted batch, TypedTable table, CancellationToken token)
    {
        try
        {
            var features = model.Pipeline.Transform(table);
            using var lease = await engines.ForAsync(batch.Dataset, version, model, token);
            return model.Score(features, lease.Engine.Detectors);
        }
        catch (Exception e) when (e is FeaturePipelineException or UploadedModelUnavailableException or OnnxRuntimeException)
        {
            LogModelCannotScore(logger, batch.Dataset, version, e.Message);
            return null;
        }
    }

    private static List<EventAnomalyRecord> Verdicts(EventsAccepted batch, TypedTable table, EventVerdict[] verdicts, int version, DateTimeOffset scoredAt)
    {
        var keys = batch.KeyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var entity = batch.EntityColumn is { } name && table.TryGetColumn(name, out var column) ? column : null;
        var scored = new List<EventAnomalyRecord>(verdicts.Length);
        for (var row = 0; row < verdicts.Length; row++)
        {
            var verdict = verdicts[row];
            scored.Add(new EventAnomalyRecord(batch.BatchId, row,
                keys.ToDictionary(k => k.Name, k => k.IsNull(row) ? null : k.GetText(row)),
                entity is null || entity.IsNull(row) ? null : entity.GetText(row),
                verdict.Risk, verdict.Decision, verdict.TopFeatures, verdict.ZScore, version, batch.Events[row].AcceptedAt, scoredAt));
        }
        return scored;
    }

    [LoggerMessage(LogLevel.Warning, "Events of {Dataset} cannot be scored by model v{Version} ({Reason}); the rolling z-score decides for them")]
    private static partial void LogModelCannotScore(ILogger logger, string dataset, int version, string reason);
}
