using MassTransit;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>
/// A run completed: end its tracking, raise the alerts its dataset's policies call for, and resolve any earlier alert
/// that called it failed or stuck.
/// </summary>
public sealed class BatchScoredConsumer(TrackedRunStore runs, AlertPipeline pipeline, AlertResolver resolver) : IConsumer<BatchScored>
{
    public async Task Consume(ConsumeContext<BatchScored> context)
    {
        var run = context.Message;
        var (_, startedAt, _) = await runs.EndedAsync(run.RunId, run.Dataset, run.ExecutionDate, failed: false, run.Timing.CompletedAt, context.CancellationToken);
        var facts = RunFacts.FromScored(run) with { StartedAt = startedAt };
        await pipeline.RaiseAsync(facts, context.CancellationToken);
        await resolver.ResolveAsync(facts, context.CancellationToken);
    }
}
