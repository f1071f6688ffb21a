using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.ServiceDefaults;

namespace Vigil.Ingest.Events;

/// <summary>
/// Watches how many micro-batches wait in the scoring consumer's queue (a passive queue declare every
/// <see cref="EventsOptions.QueueDepthPollMs"/>), so the intake can refuse work with 429 instead of letting the queue
/// grow without bound. While the depth cannot be read the intake is not refused: a broker outage shows up as a
/// failed publish (503), not as a silent 429.
/// </summary>
public sealed partial class ScoringBacklog(IConfiguration configuration, IOptions<EventsOptions> options, ILogger<ScoringBacklog> logger)
    : BackgroundService
{
    private long _depth = -1;

    /// <summary>Ready messages in the scoring queue at the last look; -1 when unknown (no queue yet, broker unreachable).</summary>
    public long Depth => Interlocked.Read(ref _depth);

    public bool IsOverloaded => Depth > options.Value.MaxQueuedBatches;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(ConnectionStrings.Require(configuration, "rabbitmq")), ClientProvidedName = "ingest-backlog" };
        var interval = TimeSpan.FromMilliseconds(options.Value.QueueDepthPollMs);
        IConnection? connection = null;
        IChannel? channel = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    connection ??= await factory.CreateConnectionAsync(stoppingToken);
                    if (channel is not { IsOpen: true })
                    {
                        if (channel is not null) await channel.DisposeAsync();
                        channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                    }
                    var queue = await channel.QueueDeclarePassiveAsync(options.Value.ScoringQueue, stoppingToken);
                    Interlocked.Exchange(ref _depth, queue.MessageCount);
                }
                catch (OperationInterruptedException)
                {
                    Interlocked.Exchange(ref _depth, -1); // the queue does not exist yet; the broker closed the channel
                }
                catch (Exception e) when (e is BrokerUnreachableException or AlreadyClosedException or IOException or TimeoutException)
                {
                    Interlocked.Exchange(ref _depth, -1);
                    LogUnreadable(logger, options.Value.ScoringQueue, e.Message);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                    channel = null;
                }
                await Task.Delay(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync();
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read the depth of queue {Queue}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string queue, string reason);
}
