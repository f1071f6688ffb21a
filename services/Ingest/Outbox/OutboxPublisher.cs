using System.Diagnostics;
using MassTransit;
using Npgsql;
using Vigil.Ingest.Storage;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.Telemetry;

namespace Vigil.Ingest.Outbox;

/// <summary>
/// Drains ingest.outbox onto the bus: woken when a run is committed, and every second otherwise. A message the broker
/// does not take within <see cref="PublishTimeout"/> is tried again later (back-off doubling up to
/// <see cref="MaxRetryDelay"/>), so the outbox empties within seconds of the broker's return. Rows are deleted only
/// after the broker confirmed them: at-least-once, and every consumer is idempotent on the run id. Replicas share the
/// table (rows are claimed with SKIP LOCKED).
/// </summary>
public sealed partial class OutboxPublisher(OutboxStore outbox, OutboxSignal signal, IBus bus, ILogger<OutboxPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be due: go on at once.
                if (await DrainOnceAsync(stoppingToken) == BatchSize) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogDrainFailed(logger, e);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Publishes what is due; returns how many rows it claimed.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        var (connection, transaction, due) = await outbox.ClaimDueAsync(BatchSize, cancellationToken);
        await using (connection)
        await using (transaction)
        {
            foreach (var stored in due)
            {
                try
                {
                    await PublishAsync(stored, cancellationToken);
                    await OutboxStore.PublishedAsync(transaction, stored.Id, cancellationToken);
                }
                catch (Exception e) when (TransientFailures.IsTransient(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // The broker is away: this row waits, and so do the rest (they would only time out too).
                    LogPublishDeferred(logger, stored.RunId, stored.Attempts + 1, e.GetBaseException().Message);
                    await OutboxStore.FailedAsync(transaction, stored.Id, RetryDelay(stored.Attempts), e.GetBaseException().Message, cancellationToken);
                    break;
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return due.Count;
    }

    /// <summary>1 s, 2 s, 4 s, then every <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts, 10)), MaxRetryDelay.TotalSeconds));

    private async Task PublishAsync(OutboxMessage stored, CancellationToken cancellationToken)
    {
        var (message, type) = OutboxMessages.Read(stored);
        // The publish joins the trace of the request that accepted the run, so one trace still follows the batch.
        using var activity = VigilTelemetry.Source.StartActivity("outbox publish", ActivityKind.Producer, stored.TraceParent);
        activity?.SetTag("vigil.run_id", stored.RunId);
        await BoundedBrokerCall.RunAsync(token => bus.Publish(message, type, token), PublishTimeout, type.Name, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: publishing from the outbox failed (attempt {Attempt}): {Error}; it stays queued")]
    private static partial void LogPublishDeferred(ILogger logger, Guid runId, int attempt, string error);

    [LoggerMessage(LogLevel.Warning, "Outbox drain failed; the next poll tries again")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);
}
