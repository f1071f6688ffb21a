using MassTransit;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>Logs a failed run with its reason; the "run failed" alert condition will act on it here.</summary>
public sealed partial class RunFailedConsumer(ILogger<RunFailedConsumer> logger) : IConsumer<RunFailed>
{
    public Task Consume(ConsumeContext<RunFailed> context)
    {
        var run = context.Message;
        LogFailure(logger, run.RunId, run.Dataset, run.Stage, run.Reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} failed in {Stage}: {Reason}")]
    private static partial void LogFailure(ILogger logger, Guid runId, string dataset, string stage, string reason);
}
