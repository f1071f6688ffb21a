using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

public sealed class RunFailedConsumer(RunTimelineStore timeline, OpenLineageMapper openLineage) : IConsumer<RunFailed>
{
    public Task Consume(ConsumeContext<RunFailed> context)
    {
        var m = context.Message;
        return timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Failed) { FailureReason = m.Reason, Reports = m.ReportKeys },
            run => openLineage.ForFailed(m, run), context.CancellationToken);
    }
}
