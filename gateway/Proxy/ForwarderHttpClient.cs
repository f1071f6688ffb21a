using System.Net;

namespace Vigil.Gateway.Proxy;

/// <summary>
/// The one outgoing connection pool of the gateway. An <see cref="HttpMessageInvoker"/> (not an HttpClient):
/// its SendAsync completes as soon as the response headers arrive (what HttpCompletionOption.ResponseHeadersRead
/// asks of HttpClient) and never buffers a body; it has no client-wide timeout either, routes carry their own.
/// </summary>
public sealed class ForwarderHttpClient() : HttpMessageInvoker(CreateHandler(), disposeHandler: true)
{
    private static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        EnableMultipleHttp2Connections = true,
        // Re-resolve service addresses now and then (DNS of a scaled service changes).
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // ActivityHeadersPropagator stays DistributedContextPropagator.Current: it injects the gateway's trace context.
    };
}
