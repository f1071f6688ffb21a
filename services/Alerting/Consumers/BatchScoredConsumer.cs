using MassTransit;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>A run completed: end its tracking, then raise the alerts its dataset's policies call for.</summary>
public sealed class BatchScoredConsumer(TrackedRunStore runs, AlertPipeline pipeline) : IConsumer<BatchScored>
{
    public async Task Consume(ConsumeContext<BatchScored> context)
    {
        var run = context.Message;
        var (_, startedAt, _) = await runs.EndedAsync(run.RunId, run.Dataset, run.ExecutionDate, failed: false, run.Timing.CompletedAt, context.CancellationToken);
        await pipeline.RaiseAsync(RunFacts.FromScored(run) with { StartedAt = startedAt }, context.CancellationToken);
    }
}
