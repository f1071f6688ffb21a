using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

/// <summary>Scoring is the last stage of a run for now, so a scored batch completes its run.</summary>
public sealed class BatchScoredConsumer(RunTimelineStore timeline, OpenLineageMapper openLineage) : IConsumer<BatchScored>
{
    public Task Consume(ConsumeContext<BatchScored> context)
    {
        var m = context.Message;
        return timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Completed)
        {
            ExecutionDate = m.ExecutionDate,
            RowCount = m.RowCount,
            AnomalyCount = m.AnomalyCount,
            DecisionCounts = m.DecisionCounts.Count > 0 ? m.DecisionCounts : null,
            Device = m.Device,
            ModelVersion = m.ModelVersion,
            // Every report of the run so far (validation's, the anomalies and every row's scores); older Scoring sent one key.
            Reports = m.ReportKeys.Count > 0 ? m.ReportKeys
                : m.ReportKey is { } key ? new Dictionary<string, string> { [ReportKinds.Anomalies] = key } : new Dictionary<string, string>(),
        }, _ => openLineage.ForScored(m), context.CancellationToken);
    }
}
