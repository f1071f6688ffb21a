using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.IntegrationTests.Alerting;

/// <summary>One request a webhook receiver got, and the status it answered with.</summary>
public sealed record ReceivedWebhook(string Hook, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredStatus, DateTimeOffset ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Hook} answered {AnsweredStatus}: {Body}";
}

/// <summary>
/// A real HTTP server on a free loopback port standing in for webhook and Slack receivers: POST /hooks/{name} is
/// recorded; <see cref="FailNext"/> makes a hook answer with an error status for its next requests (an outage).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, (int Count, int Status)> _failures = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Urls.Single());
        return receiver;
    }

    public string Url(string hook) => new Uri(BaseAddress, $"/hooks/{hook}").ToString();

    /// <summary>The hook answers <paramref name="status"/> to its next <paramref name="count"/> requests.</summary>
    public void FailNext(string hook, int count, int status = StatusCodes.Status500InternalServerError) => _failures[hook] = (count, status);

    public IReadOnlyList<ReceivedWebhook> For(string hook) => [.. _received.Where(r => r.Hook == hook).OrderBy(r => r.ReceivedAt)];

    /// <summary>Waits until the hook has received at least <paramref name="count"/> requests; returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string hook, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (For(hook) is { } received && received.Count >= count) return received;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Hook '{hook}' received {For(hook).Count} of {count} requests in time.");
    }

    private async Task<IResult> ReceiveAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var status = StatusCodes.Status200OK;
        while (_failures.TryGetValue(name, out var failure) && failure.Count > 0)
        {
            if (!_failures.TryUpdate(name, (failure.Count - 1, failure.Status), failure)) continue;
            status = failure.Status;
            break;
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedWebhook(name, headers, body, status, DateTimeOffset.UtcNow));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
