using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.Callbacks;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

public sealed class BatchIngestedConsumer(RunTimelineStore timeline, OpenLineageMapper openLineage, CallbackStore callbacks) : IConsumer<BatchIngested>
{
    public async Task Consume(ConsumeContext<BatchIngested> context)
    {
        var m = context.Message;
        await timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Running)
        {
            ExecutionDate = m.ExecutionDate,
            ObjectKey = m.ObjectKey,
            SourceObjectKey = m.ReconciliationSource?.ObjectKey,
            SizeBytes = m.SizeBytes,
            StageNote = m.Redrive > 0 ? $"Announced again by Ingest (redrive {m.Redrive}): the run had made no progress" : null,
        }, _ => openLineage.ForIngested(m), context.CancellationToken);
        // The run's completion callback, sent by CallbackDispatcher once the run has ended.
        if (m.CallbackUrl is { } callbackUrl) await callbacks.RegisterAsync(m.RunId, m.Dataset, callbackUrl, context.CancellationToken);
    }
}
