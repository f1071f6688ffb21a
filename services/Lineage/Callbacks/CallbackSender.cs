using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Vigil.ServiceDefaults.Callbacks;

namespace Vigil.Lineage.Callbacks;

/// <summary>The outcome of one POST.</summary>
public sealed record CallbackAttempt(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// POSTs one signed callback. Its HTTP client connects only to addresses the callback policy allows (checked on every
/// address the host resolves to, so DNS cannot point it inside), follows no redirects and is bounded by RequestTimeout.
/// </summary>
public sealed class CallbackSender(IHttpClientFactory clients, IOptions<CallbackOptions> options)
{
    public const string HttpClientName = "callbacks";

    public async Task<CallbackAttempt> SendAsync(DueCallback callback, byte[] body, string eventName, CancellationToken cancellationToken)
    {
        if (options.Value.SecretFor(callback.Dataset) is not { } secret)
            return new CallbackAttempt(false, null, $"No signing secret is configured for '{callback.Dataset}' ({CallbackOptions.Section}:SigningSecret or {CallbackOptions.Section}:DatasetSecrets); nothing is sent unsigned.");
        using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(CallbackSignature.Header, CallbackSignature.Compute(secret, body));
        request.Headers.Add("X-Vigil-Event", eventName);
        request.Headers.Add("X-Vigil-Delivery", $"{callback.RunId}/{callback.Attempt}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new CallbackAttempt(true, status, null)
                : new CallbackAttempt(false, status, $"The receiver answered {status} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CallbackAttempt(false, null, $"No answer within {options.Value.RequestTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new CallbackAttempt(false, null, e.InnerException is CallbackRefusedException refused ? refused.Message : $"Could not deliver: {e.Message}");
        }
    }

    /// <summary>The handler behind the callbacks client: connects only where the policy allows.</summary>
    public static SocketsHttpHandler CreateHandler(CallbackUrlPolicy policy) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            if (!policy.IsAllowedName(host))
            {
                foreach (var address in addresses)
                    if (policy.CheckAddress(address) is { } refused) throw new CallbackRefusedException(refused);
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>The callback's host resolved to an address the policy refuses.</summary>
public sealed class CallbackRefusedException(string message) : Exception(message);
