using MassTransit;
using Microsoft.Extensions.Logging;
using Vigil.Contracts;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// Fails a run only when its stage has given up: <see cref="Attempt"/> sits inside the retries and notes on the
/// message's receive context which run the failing attempt was about; <see cref="GiveUp"/> sits in the receive
/// endpoint's error pipe, which a message enters only once its last retry has failed, and publishes
/// <see cref="RunFailed"/> with the reason (never a silent drop). A stage a retry carries through never fails its run.
/// </summary>
public static partial class RunFailedOnFaultFilter
{
    /// <summary>What the last failed attempt was about, kept on the receive context across retries.</summary>
    private sealed class FailingRun
    {
        public IRunEvent? Run { get; set; }
        public DateTimeOffset FirstAttemptAt { get; } = DateTimeOffset.UtcNow;
    }

    public sealed class Attempt : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            var failing = context.ReceiveContext.GetOrAddPayload(() => new FailingRun());
            try
            {
                await next.Send(context);
            }
            catch when (!context.TryGetMessage<RunFailed>(out _) && context.TryGetMessage<IRunEvent>(out var message))
            {
                failing.Run = message.Message;
                throw;
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("runFailedOnFault.attempt");
    }

    public sealed partial class GiveUp(RunStage stage, ILogger logger) : IFilter<ExceptionReceiveContext>
    {
        public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
        {
            if (context.TryGetPayload(out FailingRun? failing) && failing.Run is { } run)
            {
                LogGaveUp(logger, context.Exception, stage.Name, run.RunId);
                var endpoint = await context.PublishEndpointProvider.GetPublishSendEndpoint<RunFailed>();
                var failure = new RunFailed
                {
                    RunId = run.RunId,
                    Dataset = run.Dataset,
                    Stage = stage.Name,
                    Reason = $"The {stage.Name} stage failed after retries: {context.Exception.GetBaseException().Message}",
                    Timing = new StageTiming(stage.Name, failing.FirstAttemptAt, DateTimeOffset.UtcNow),
                };
                await BoundedBrokerCall.RunAsync(token => endpoint.Send(failure, token), BoundedBrokerCall.DefaultLimit, nameof(RunFailed), context.CancellationToken);
            }
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("runFailedOnFault.giveUp");

        [LoggerMessage(LogLevel.Error, "Stage {Stage} gave up on run {RunId} after its last retry; publishing RunFailed")]
        private static partial void LogGaveUp(ILogger logger, Exception exception, string stage, Guid runId);
    }
}
