using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>One of this service's error queues and how many messages wait in it.</summary>
public sealed record DeadLetterQueue(string Queue, string ErrorQueue, uint Messages);

/// <summary>
/// The <c>_error</c> queues of this service's receive endpoints: how many messages each holds (shown in /health and
/// <c>GET /api/system/dead-letters</c>), and a replay that moves them back to the queue they failed on, one by one,
/// each move in a broker transaction so a message is never lost or doubled by the move itself.
/// </summary>
public sealed class DeadLetters(DeadLetters.Broker broker)
{
    public sealed record Broker(Uri Address);

    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Queues => [.. _queues.Keys.Order(StringComparer.Ordinal)];

    internal void Track(string queue) => _queues.TryAdd(queue, 0);

    public async Task<IReadOnlyList<DeadLetterQueue>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        var found = new List<DeadLetterQueue>();
        foreach (var queue in Queues)
        {
            // A passive declare of a queue that does not exist closes the channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue + "_error", cancellationToken);
                found.Add(new DeadLetterQueue(queue, declared.QueueName, declared.MessageCount));
            }
            catch (OperationInterruptedException)
            {
                found.Add(new DeadLetterQueue(queue, queue + "_error", 0)); // no message ever failed there
            }
        }
        return found;
    }

    /// <summary>Moves up to <paramref name="limit"/> messages from <paramref name="queue"/>'s error queue back to it; returns how many.</summary>
    public async Task<int> ReplayAsync(string queue, int limit, CancellationToken cancellationToken)
    {
        if (!_queues.ContainsKey(queue)) throw new ArgumentException($"'{queue}' is not a queue of this service.", nameof(queue));
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue + "_error", cancellationToken);
        }
        catch (OperationInterruptedException)
        {
            return 0; // no message ever failed there, so its error queue was never declared: nothing to replay
        }
        await channel.TxSelectAsync(cancellationToken);
        var moved = 0;
        while (moved < limit && await channel.BasicGetAsync(queue + "_error", autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties);
            properties.Headers?.Remove("MT-Reason");
            await channel.BasicPublishAsync("", queue, mandatory: false, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            await channel.TxCommitAsync(cancellationToken);
            moved++;
        }
        return moved;
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = broker.Address,
            RequestedConnectionTimeout = BrokerTimeout,
            ContinuationTimeout = BrokerTimeout,
            HandshakeContinuationTimeout = BrokerTimeout,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "vigil-dead-letters",
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BrokerTimeout);
        return await factory.CreateConnectionAsync(timeout.Token);
    }
}
