using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// The broker as this service reaches it: within two seconds, a TCP connection to its AMQP port and the broker's answer
/// to the AMQP protocol header (so a dead broker and a hung one both show at once, not when a heartbeat finally
/// lapses), then the error queues: Degraded while any holds messages.
/// </summary>
internal sealed class BrokerHealthCheck(DeadLetters.Broker broker, DeadLetters deadLetters) : IHealthCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly byte[] AmqpProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            using var client = new TcpClient();
            var port = broker.Address.IsDefaultPort || broker.Address.Port < 0 ? 5672 : broker.Address.Port;
            await client.ConnectAsync(broker.Address.Host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(AmqpProtocolHeader, timeout.Token);
            var answer = new byte[8];
            if (await stream.ReadAsync(answer, timeout.Token) == 0) throw new IOException("The broker closed the connection without answering.");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {broker.Address.Host}:{broker.Address.Port} is unreachable", e);
        }

        try
        {
            var waiting = (await deadLetters.ListAsync(timeout.Token)).Where(q => q.Messages > 0).ToList();
            return waiting.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("Messages in error queues: " + string.Join(", ", waiting.Select(q => $"{q.ErrorQueue}={q.Messages}")));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("Error queues could not be read", e);
        }
    }
}
