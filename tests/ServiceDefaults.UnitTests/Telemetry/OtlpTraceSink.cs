using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.ServiceDefaults.UnitTests.Telemetry;

/// <summary>
/// An OTLP/HTTP endpoint on a free loopback port that keeps the raw protobuf body of every POST to /v1/traces. Span
/// names and attribute values are UTF-8 strings inside that body, which is all these tests look for.
/// </summary>
internal sealed class OtlpTraceSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _bodies = new();

    private OtlpTraceSink(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public int TraceRequests => _bodies.Count;

    public static async Task<OtlpTraceSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new OtlpTraceSink(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (signal == "traces") sink._bodies.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await app.StartAsync();
        sink.Endpoint = new Uri(app.Urls.Single());
        return sink;
    }

    /// <summary>Every export body received so far, as Latin-1 text so that embedded UTF-8 strings can be searched.</summary>
    public IReadOnlyList<string> Exports => [.. _bodies.Select(b => System.Text.Encoding.Latin1.GetString(b))];

    /// <summary>
    /// Waits until each of <paramref name="texts"/> is in an export body that also holds <paramref name="resource"/> (the
    /// service's name, sent with every export). Not one body for all: the batch exporter may send a request's inner span
    /// and the request span in two exports when the machine is busy.
    /// </summary>
    public async Task WaitForExportsWithAsync(TimeSpan timeout, string resource, params string[] texts)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var exports = Exports.Where(e => e.Contains(resource, StringComparison.Ordinal)).ToList();
            if (texts.All(text => exports.Any(e => e.Contains(text, StringComparison.Ordinal)))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The trace exports with {resource} do not hold all of: {string.Join(", ", texts)} ({TraceRequests} exports received).");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
