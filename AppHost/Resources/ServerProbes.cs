using System.Net.Sockets;

namespace Vigil.AppHost.Resources;

/// <summary>Talks to a server over TCP on 127.0.0.1: sends a few bytes and returns what comes back first.</summary>
internal static class ServerProbes
{
    public static async Task<byte[]> TcpExchangeAsync(int port, byte[] send, int maxReply, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(send, timeout.Token);
        var buffer = new byte[maxReply];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return buffer[..read];
    }
}
