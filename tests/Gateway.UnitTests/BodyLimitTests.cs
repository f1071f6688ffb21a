using System.Net;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>A route's MaxRequestBodySize, whether the client announces its length or streams it chunked.</summary>
public sealed class BodyLimitTests
{
    [Fact]
    public async Task Declared_length_over_the_limit_is_413_problem_json()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend, limit: 1024);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.PostAsync("/api/runs/1", new ByteArrayContent(new byte[1025]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await response.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Declared_length_over_the_limit_is_refused_even_when_the_destination_would_answer_without_reading()
    {
        var backendCalled = false;
        await using var backend = await TestServers.StartBackendAsync(app => app.MapPost("/api/runs/1", () =>
        {
            backendCalled = true;
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }));
        await using var gateway = await StartGatewayAsync(backend, limit: 1024);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.PostAsync("/api/runs/1", new ByteArrayContent(new byte[4096]));

        Assert.Equal(413, (await response.ReadProblemAsync()).Status);
        Assert.False(backendCalled);
    }

    [Fact]
    public async Task Chunked_body_that_grows_past_the_limit_mid_stream_is_413_problem_json()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend, limit: 64 * 1024);
        using var client = TestHttp.CreateClient(gateway.Address);

        var chunked = new PushContent(async stream =>
        {
            var chunk = new byte[16 * 1024];
            for (var i = 0; i < 16; i++)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        });
        using var response = await client.PostAsync("/api/runs/1", chunked);

        Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await response.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Chunked_body_within_the_limit_passes_whole()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend, limit: 64 * 1024);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.PostAsync("/api/runs/1", new PushContent(stream => stream.WriteAsync(new byte[60 * 1024]).AsTask()));

        Assert.Equal(60 * 1024, (await response.ReadEchoAsync()).BodyLength);
    }

    private static Task<RunningServer> StartGatewayAsync(RunningServer backend, long limit) =>
        TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}", maxRequestBodySize: limit)
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address).Values);
}
