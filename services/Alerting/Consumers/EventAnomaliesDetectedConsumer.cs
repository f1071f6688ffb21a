using MassTransit;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>
/// Anomalous streamed events: the micro-batch is judged by the dataset's policies like a completed run of that many
/// records, so <c>block_decision</c> and <c>anomaly_rate_above</c> fire on events as on batches (the micro-batch id
/// stands for the run id; throttling keeps a busy stream from sending an alert per micro-batch).
/// </summary>
public sealed class EventAnomaliesDetectedConsumer(AlertPipeline pipeline) : IConsumer<EventAnomaliesDetected>
{
    public async Task Consume(ConsumeContext<EventAnomaliesDetected> context)
    {
        var events = context.Message;
        await pipeline.RaiseAsync(new RunFacts
        {
            RunId = events.BatchId,
            Dataset = events.Dataset,
            State = RunState.Completed,
            RowCount = events.EventCount,
            AnomalyCount = events.AnomalyCount,
            DecisionCounts = events.DecisionCounts,
            TopAnomalies = events.TopAnomalies,
            ModelVersion = events.ModelVersion,
            Device = events.ModelVersion is null ? "streamed events: rolling z-score" : "streamed events",
            StartedAt = events.ScoredAt,
        }, context.CancellationToken);
    }
}
