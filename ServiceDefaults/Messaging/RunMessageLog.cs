using MassTransit;
using Microsoft.Extensions.Logging;
using Vigil.Contracts;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// Logs, at Debug, every message about a run that this service publishes, receives, finishes or fails on, with the
/// run's id: with this category at Debug, one grep of every service's log for a run id tells where a run stopped.
/// </summary>
public sealed partial class RunMessageLog(ILogger<RunMessageLog> logger) : IConsumeObserver, IPublishObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IRunEvent run && logger.IsEnabled(LogLevel.Debug))
            LogReceived(logger, run.RunId, typeof(T).Name, context.GetRetryAttempt(), context.ReceiveContext.Redelivered);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IRunEvent run && logger.IsEnabled(LogLevel.Debug)) LogConsumed(logger, run.RunId, typeof(T).Name);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.Message is IRunEvent run && logger.IsEnabled(LogLevel.Debug))
            LogConsumeFailed(logger, run.RunId, typeof(T).Name, context.GetRetryAttempt(), exception.GetType().Name, exception.Message);
        return Task.CompletedTask;
    }

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        if (context.Message is IRunEvent run && logger.IsEnabled(LogLevel.Debug)) LogPublished(logger, run.RunId, typeof(T).Name, context.MessageId);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class
    {
        if (context.Message is IRunEvent run && logger.IsEnabled(LogLevel.Debug))
            LogPublishFailed(logger, run.RunId, typeof(T).Name, exception.GetType().Name, exception.Message);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Debug, "Run {RunId}: {MessageType} received (retry {Attempt}, redelivered {Redelivered})")]
    private static partial void LogReceived(ILogger logger, Guid runId, string messageType, int attempt, bool redelivered);

    [LoggerMessage(LogLevel.Debug, "Run {RunId}: {MessageType} consumed")]
    private static partial void LogConsumed(ILogger logger, Guid runId, string messageType);

    [LoggerMessage(LogLevel.Debug, "Run {RunId}: {MessageType} consume failed (retry {Attempt}): {Error}: {Message}")]
    private static partial void LogConsumeFailed(ILogger logger, Guid runId, string messageType, int attempt, string error, string message);

    [LoggerMessage(LogLevel.Debug, "Run {RunId}: {MessageType} published (message {MessageId})")]
    private static partial void LogPublished(ILogger logger, Guid runId, string messageType, Guid? messageId);

    [LoggerMessage(LogLevel.Debug, "Run {RunId}: {MessageType} publish failed: {Error}: {Message}")]
    private static partial void LogPublishFailed(ILogger logger, Guid runId, string messageType, string error, string message);
}
