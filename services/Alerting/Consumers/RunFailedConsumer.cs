using MassTransit;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>A run failed: end its tracking, then raise the alerts its dataset's policies call for.</summary>
public sealed class RunFailedConsumer(TrackedRunStore runs, AlertPipeline pipeline) : IConsumer<RunFailed>
{
    public async Task Consume(ConsumeContext<RunFailed> context)
    {
        var run = context.Message;
        var (executionDate, startedAt) = await runs.EndedAsync(run.RunId, run.Dataset, null, failed: true, run.Timing.CompletedAt, context.CancellationToken);
        await pipeline.RaiseAsync(RunFacts.FromFailed(run, executionDate, startedAt), context.CancellationToken);
    }
}
