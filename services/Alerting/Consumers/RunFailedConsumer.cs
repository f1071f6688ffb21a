using MassTransit;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>
/// A run failed: end its tracking, then raise the alerts its dataset's policies call for — unless the run has already
/// completed (a late failure, e.g. of a message replayed after the run went through), which is not alerted. Should the
/// run complete while the alert is being raised, the completion is resolved here, since it found no alert to resolve.
/// </summary>
public sealed class RunFailedConsumer(TrackedRunStore runs, AlertPipeline pipeline, AlertResolver resolver) : IConsumer<RunFailed>
{
    public async Task Consume(ConsumeContext<RunFailed> context)
    {
        var run = context.Message;
        var (executionDate, startedAt, completed) = await runs.EndedAsync(run.RunId, run.Dataset, null, failed: true, run.Timing.CompletedAt, context.CancellationToken);
        if (completed) return;
        if (await pipeline.RaiseAsync(RunFacts.FromFailed(run, executionDate, startedAt), context.CancellationToken) > 0)
            await resolver.ResolveIfCompletedAsync(run.RunId, run.Dataset, executionDate, context.CancellationToken);
    }
}
