using MassTransit;
using Vigil.Contracts;

namespace Vigil.Ingest.Progress;

/// <summary>
/// Hears how Ingest's runs go on after their announcement: a validated batch is progress, a scored or failed one has
/// ended. The redriver announces again only runs that stay silent.
/// </summary>
public sealed class RunProgressConsumer(RunProgressStore runs) : IConsumer<BatchValidated>, IConsumer<BatchScored>, IConsumer<RunFailed>
{
    public Task Consume(ConsumeContext<BatchValidated> context) => runs.ProgressedAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<BatchScored> context) => runs.EndedAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<RunFailed> context) => runs.EndedAsync(context.Message.RunId, context.CancellationToken);
}
