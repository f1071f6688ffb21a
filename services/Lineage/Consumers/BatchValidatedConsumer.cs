using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

public sealed class BatchValidatedConsumer(RunTimelineStore timeline) : IConsumer<BatchValidated>
{
    public Task Consume(ConsumeContext<BatchValidated> context)
    {
        var m = context.Message;
        return timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Running)
        {
            ExecutionDate = m.ExecutionDate,
            ObjectKey = m.ObjectKey,
            RowCount = m.RowCount,
            Reports = new Dictionary<string, string> { ["validation"] = m.ReportKey },
        }, context.CancellationToken);
    }
}
