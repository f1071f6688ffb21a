using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

public sealed class BatchIngestedConsumer(RunTimelineStore timeline, OpenLineageMapper openLineage) : IConsumer<BatchIngested>
{
    public Task Consume(ConsumeContext<BatchIngested> context)
    {
        var m = context.Message;
        return timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Running)
        {
            ExecutionDate = m.ExecutionDate,
            ObjectKey = m.ObjectKey,
            SourceObjectKey = m.ReconciliationSource?.ObjectKey,
            SizeBytes = m.SizeBytes,
        }, _ => openLineage.ForIngested(m), context.CancellationToken);
    }
}
