using MassTransit;
using Microsoft.Extensions.Logging;
using Vigil.Contracts;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// Sits outside the retry filter: when a consumer still fails after its retries, the run it was working on is
/// failed with the reason (never a silent drop), then the exception goes on so the message lands in the error queue.
/// </summary>
public sealed partial class RunFailedOnFaultFilter<T>(RunStage stage, ILogger<RunFailedOnFaultFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            await next.Send(context);
        }
        catch (Exception e) when (context.Message is IRunEvent run and not RunFailed)
        {
            LogGaveUp(logger, e, stage.Name, run.RunId);
            await context.Publish(new RunFailed
            {
                RunId = run.RunId,
                Dataset = run.Dataset,
                Stage = stage.Name,
                Reason = $"The {stage.Name} stage failed after retries: {e.GetBaseException().Message}",
                Timing = new StageTiming(stage.Name, started, DateTimeOffset.UtcNow),
            });
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("runFailedOnFault");

    [LoggerMessage(LogLevel.Error, "Stage {Stage} gave up on run {RunId}; publishing RunFailed")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string stage, Guid runId);
}
