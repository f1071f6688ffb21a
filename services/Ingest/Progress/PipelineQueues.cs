using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.ServiceDefaults;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Ingest.Progress;

/// <summary>Whether any of the pipeline's queues holds ready messages now (a passive declare of each, on a short-lived connection).</summary>
public sealed class PipelineQueues(IConfiguration configuration)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The first queue found holding messages, with its count; null when all are empty. Throws when the broker cannot be
    /// asked within the timeout, the closing of the connection included (a hung close would stop the redriver for good).
    /// </summary>
    public Task<(string Queue, uint Messages)?> FirstWaitingAsync(IEnumerable<string> queues, CancellationToken cancellationToken) =>
        BoundedBrokerCall.RunAsync(token => AskAsync(queues, token), Timeout, "a question about its queues", cancellationToken);

    private async Task<(string Queue, uint Messages)?> AskAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(ConnectionStrings.Require(configuration, "rabbitmq")), ClientProvidedName = "ingest-redriver" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        foreach (var queue in queues)
        {
            // A passive declare of a queue that does not exist closes the channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                if (declared.MessageCount > 0) return (queue, declared.MessageCount);
            }
            catch (OperationInterruptedException)
            {
                // No such queue (its consumer never started): nothing waits there.
            }
        }
        return null;
    }
}
