using System.Net.Sockets;
using System.Text;

namespace Vigil.AppHost.Hosting;

/// <summary>Repeats a readiness check until it passes, the process dies, or the deadline passes.</summary>
internal static class HealthProbe
{
    public static async Task WaitUntilAsync(string resource, Func<CancellationToken, Task<bool>> check, Task processExited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastError = null;
        while (!deadline.IsCancellationRequested)
        {
            if (processExited.IsCompleted)
                throw new ResourceStartException(resource, "the process exited before it became healthy.");
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                if (await check(attempt.Token)) return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = e.Message;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline passed; the loop condition ends the wait.
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new ResourceStartException(resource, $"not healthy after {timeout.TotalSeconds:0} s{(lastError is null ? "" : $" (last check: {lastError})")}.");
    }

    public static async Task<byte[]> TcpExchangeAsync(int port, byte[] send, int readAtMost, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(send, cancellationToken);
        var buffer = new byte[readAtMost];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return buffer[..read];
    }

    public static async Task<bool> HttpOkAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
