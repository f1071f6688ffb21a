using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>
/// An OTLP/HTTP (http/protobuf) endpoint for tests: point OTEL_EXPORTER_OTLP_ENDPOINT at <see cref="Endpoint"/>
/// and the exporter's POSTs to /v1/traces, /v1/metrics and /v1/logs land here.
/// Spans are parsed; metrics and logs are only counted.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string ProtobufContentType = "application/x-protobuf";

    private readonly WebApplication app;
    private readonly ReceivedTelemetry received;

    private OtlpReceiver(WebApplication app, ReceivedTelemetry received, Uri endpoint)
    {
        this.app = app;
        this.received = received;
        Endpoint = endpoint;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234 — the value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedSpan> Spans => received.Spans;

    public int TraceRequests => received.TraceRequests;

    public int MetricsRequests => received.MetricsRequests;

    public int LogsRequests => received.LogsRequests;

    public static async Task<OtlpReceiver> StartAsync()
    {
        // An empty builder reads no appsettings or ASPNETCORE_* variables, so the test host's environment cannot move it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.AddRoutingCore();

        var received = new ReceivedTelemetry();
        var app = builder.Build();
        app.MapPost("/v1/traces", context => HandleAsync(context, received, body => received.AddSpans(OtlpTraceParser.Parse(body))));
        app.MapPost("/v1/metrics", context => HandleAsync(context, received, _ => received.CountMetricsRequest()));
        app.MapPost("/v1/logs", context => HandleAsync(context, received, _ => received.CountLogsRequest()));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new OtlpReceiver(app, received, new Uri(address));
    }

    /// <summary>
    /// Waits until <paramref name="until"/> holds for the spans received so far and returns that snapshot;
    /// throws <see cref="TimeoutException"/> describing what did arrive (services, span names) otherwise.
    /// </summary>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> until,
        TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        received.WaitForSpansAsync(until, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, ReceivedTelemetry received, Action<byte[]> accept)
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            await RejectAsync(context, received, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}', expected {ProtobufContentType}");
            return;
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length != 0 && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await RejectAsync(context, received, StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{encoding}', expected gzip or none");
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, gzip: encoding.Length != 0, context.RequestAborted);
            accept(body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            await RejectAsync(context, received, StatusCodes.Status400BadRequest, $"unreadable body: {e.Message}");
            return;
        }

        // An empty Export*ServiceResponse: full success, no partial_success.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ProtobufContentType;
        context.Response.ContentLength = 0;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, bool gzip, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (gzip)
        {
            await using var unzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await unzip.CopyToAsync(buffer, cancellationToken);
        }
        else
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }

        return buffer.ToArray();
    }

    private static Task RejectAsync(HttpContext context, ReceivedTelemetry received, int status, string reason)
    {
        received.Reject($"{context.Request.Path}: {reason}");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(reason);
    }
}
