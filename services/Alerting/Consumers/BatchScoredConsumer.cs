using MassTransit;
using Vigil.Contracts;

namespace Vigil.Alerting.Consumers;

/// <summary>Logs the summary of a scored run; alert policies and channels will act on it here.</summary>
public sealed partial class BatchScoredConsumer(ILogger<BatchScoredConsumer> logger) : IConsumer<BatchScored>
{
    public Task Consume(ConsumeContext<BatchScored> context)
    {
        var run = context.Message;
        LogSummary(logger, run.RunId, run.Dataset, run.ExecutionDate, run.RowCount, run.AnomalyCount, run.Device);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} of {Dataset} ({ExecutionDate}) scored: {RowCount} rows, {AnomalyCount} anomalies, device {Device}")]
    private static partial void LogSummary(ILogger logger, Guid runId, string dataset, DateOnly executionDate, long rowCount, long anomalyCount, string device);
}
