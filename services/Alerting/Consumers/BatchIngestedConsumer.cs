using MassTransit;
using Vigil.Alerting.Storage;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>A run started: track it, so the stuck-run sweeper notices when it does not end in time.</summary>
public sealed class BatchIngestedConsumer(TrackedRunStore runs) : IConsumer<BatchIngested>
{
    public Task Consume(ConsumeContext<BatchIngested> context)
    {
        var run = context.Message;
        return runs.StartedAsync(run.RunId, run.Dataset, run.ExecutionDate, run.Timing.StartedAt, context.CancellationToken);
    }
}
