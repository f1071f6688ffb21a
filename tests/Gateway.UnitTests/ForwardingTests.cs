using System.Diagnostics;
using System.Net;
using System.Text;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>A real Kestrel backend behind the real gateway, both on loopback ports chosen by the OS.</summary>
public sealed class ForwardingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Request_body_streams_to_the_destination_before_the_client_has_finished_sending()
    {
        const int firstPart = 256 * 1024;
        const int secondPart = 64 * 1024;
        var firstPartArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestServers.StartBackendAsync(app => app.MapPost("/api/runs/upload", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
                if (total >= firstPart / 2)
                {
                    firstPartArrived.TrySetResult();
                }
            }

            return Results.Text($"received {total}");
        }));
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        // The client holds back the rest of its body until the backend has seen the beginning of it:
        // a gateway that buffered the whole body first would never get there.
        var content = new PushContent(async stream =>
        {
            await stream.WriteAsync(new byte[firstPart]);
            await stream.FlushAsync();
            await firstPartArrived.Task.WaitAsync(Patience);
            await stream.WriteAsync(new byte[secondPart]);
        });
        using var response = await client.PostAsync("/api/runs/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"received {firstPart + secondPart}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Response_body_streams_to_the_client_before_the_destination_has_finished_writing()
    {
        var clientSawFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestServers.StartBackendAsync(app => app.MapGet("/api/runs/feed", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.WriteAsync("{\"n\":1}\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await clientSawFirstChunk.Task.WaitAsync(Patience, context.RequestAborted);
            await context.Response.WriteAsync("{\"n\":2}\n", context.RequestAborted);
        }));
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.GetAsync("/api/runs/feed", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(Patience);
        clientSawFirstChunk.SetResult();
        var second = await reader.ReadLineAsync().WaitAsync(Patience);

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"n\":1}", first);
        Assert.Equal("{\"n\":2}", second);
    }

    [Fact]
    public async Task Large_body_and_its_content_headers_arrive_intact()
    {
        var body = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(body);
        await using var backend = await TestServers.StartBackendAsync(app => app.MapPost("/api/datasets/{name}/batches", async (HttpContext context) =>
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            context.Response.Headers["X-Received-Type"] = context.Request.ContentType;
            context.Response.Headers["X-Received-Length"] = context.Request.ContentLength?.ToString();
            await context.Response.Body.WriteAsync(copy.ToArray(), context.RequestAborted);
        }));
        await using var gateway = await StartGatewayAsync(backend,
            new ProxyConfig().Route("batches", "ingest", "/api/datasets/{name}/batches/{**rest}").Cluster("ingest", "http://ingest").Service("ingest", backend.Address));
        using var client = TestHttp.CreateClient(gateway.Address);

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
        using var response = await client.PostAsync("/api/datasets/banking.transactions/batches", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", Assert.Single(response.Headers.GetValues("X-Received-Type")));
        Assert.Equal(body.Length.ToString(), Assert.Single(response.Headers.GetValues("X-Received-Length")));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Path_and_query_string_are_forwarded_unchanged()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.GetAsync("/api/runs/r-42/anomalies?top=10&sort=risk%20desc&tag=a&tag=b");
        var echo = await response.ReadEchoAsync();

        Assert.Equal("GET", echo.Method);
        Assert.Equal("/api/runs/r-42/anomalies", echo.Path);
        Assert.Equal("?top=10&sort=risk%20desc&tag=a&tag=b", echo.Query);
    }

    [Fact]
    public async Task Catch_all_route_also_matches_the_path_without_a_trailing_segment()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var bare = await client.GetAsync("/api/runs");
        using var nested = await client.GetAsync("/api/runs/abc");

        Assert.Equal("/api/runs", (await bare.ReadEchoAsync()).Path);
        Assert.Equal("/api/runs/abc", (await nested.ReadEchoAsync()).Path);
    }

    [Fact]
    public async Task Hop_by_hop_headers_are_removed_in_both_directions()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.Map("/api/runs/hop", (HttpContext context) =>
        {
            context.Response.Headers.Connection = "X-Upstream-Hop";
            context.Response.Headers["X-Upstream-Hop"] = "1";
            context.Response.Headers["Proxy-Authenticate"] = "Basic";
            context.Response.Headers["X-Upstream-End-To-End"] = "kept";
            var seen = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            return Results.Json(new EchoedRequest(context.Request.Method, context.Request.Path, "", seen, 0, "backend"));
        }));
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs/hop");
        request.Headers.Connection.Add("X-Client-Hop");
        request.Headers.TryAddWithoutValidation("X-Client-Hop", "1");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("X-Client-End-To-End", "kept");
        using var response = await client.SendAsync(request);
        var echo = await response.ReadEchoAsync();

        Assert.DoesNotContain("X-Client-Hop", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Keep-Alive", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Proxy-Authorization", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("TE", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("kept", echo.Headers["X-Client-End-To-End"]);

        Assert.False(response.Headers.Contains("X-Upstream-Hop"));
        Assert.False(response.Headers.Contains("Proxy-Authenticate"));
        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("X-Upstream-End-To-End")));
    }

    [Fact]
    public async Task Forwarded_headers_are_set_and_forwarded_for_is_appended_to()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs/1");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "gopher");
        using var response = await client.SendAsync(request);
        var echo = await response.ReadEchoAsync();

        Assert.Equal("203.0.113.7, 127.0.0.1", echo.Headers["X-Forwarded-For"]);
        Assert.Equal("http", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal(gateway.Address.Authority, echo.Headers["X-Forwarded-Host"]);
        Assert.Equal(backend.Address.Authority, echo.Headers["Host"]);
    }

    [Fact]
    public async Task Unreachable_destination_returns_problem_json_502_naming_only_the_cluster()
    {
        var deadPort = TestServers.UnusedPort();
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", "http://lineage")
            .Set("services:lineage:http:0", $"http://127.0.0.1:{deadPort}")
            .Values);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.GetAsync("/api/runs/1");
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, problem.Status);
        Assert.Equal("Bad Gateway", problem.Title);
        Assert.Contains("'lineage'", problem.Detail);
        Assert.DoesNotContain(deadPort.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_destination_that_refuses_connections_keeps_being_tried_and_answered_502()
    {
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", $"http://127.0.0.1:{TestServers.UnusedPort()}")
            .Values);
        using var client = TestHttp.CreateClient(gateway.Address);

        var statuses = new List<int?>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"/api/runs/{i}");
            statuses.Add((await response.ReadProblemAsync()).Status);
        }

        // Marked unhealthy after the first failure, but with no healthy one left the cluster still uses it (no 503).
        Assert.Equal([502, 502, 502], statuses);
    }

    [Fact]
    public async Task Cluster_activity_timeout_on_a_silent_destination_returns_problem_json_504()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.Map("/api/runs/silent", async (HttpContext context) =>
        {
            await Task.Delay(Patience, context.RequestAborted);
            return Results.Ok();
        }));
        await using var gateway = await StartGatewayAsync(backend, new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}", timeout: TimeSpan.FromMinutes(5))
            .Cluster("lineage", "http://lineage")
            .Set("ReverseProxy:Clusters:lineage:HttpRequest:ActivityTimeout", "00:00:00.300")
            .Service("lineage", backend.Address));
        using var client = TestHttp.CreateClient(gateway.Address);

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/runs/silent");
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("Gateway Timeout", problem.Title);
        Assert.True(clock.Elapsed < Patience, $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Route_timeout_returns_problem_json_504()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.Map("/api/runs/slow", async (HttpContext context) =>
        {
            await Task.Delay(Patience, context.RequestAborted);
            return Results.Ok();
        }));
        await using var gateway = await StartGatewayAsync(backend, new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}", timeout: TimeSpan.FromMilliseconds(300))
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address));
        using var client = TestHttp.CreateClient(gateway.Address);

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/runs/slow");
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(504, problem.Status);
        Assert.Contains("'lineage'", problem.Detail);
        Assert.True(clock.Elapsed < Patience, $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Unknown_api_path_returns_problem_json_404()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.PostAsync("/api/nothing/here", new StringContent("{}"));
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, problem.Status);
        Assert.Equal("Not Found", problem.Title);
    }

    [Fact]
    public async Task Route_restricted_to_methods_forwards_only_those_methods()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend, new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}", methods: "GET")
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address));
        using var client = TestHttp.CreateClient(gateway.Address);

        using var get = await client.GetAsync("/api/runs/1");
        using var delete = await client.DeleteAsync("/api/runs/1");

        Assert.Equal("GET", (await get.ReadEchoAsync()).Method);
        Assert.Equal(404, (await delete.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Body_over_the_route_limit_is_rejected_with_problem_json_413()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend, new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}", maxRequestBodySize: 1024)
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address));
        using var client = TestHttp.CreateClient(gateway.Address);

        using var response = await client.PostAsync("/api/runs/1", new ByteArrayContent(new byte[4096]));
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, problem.Status);
    }

    [Fact]
    public async Task Incoming_traceparent_continues_the_same_trace_with_the_gateway_as_parent()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        const string incomingSpanId = "b7ad6b7169203331";
        var finished = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { if (activity.TraceId.ToHexString() == traceId) finished.Enqueue(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await StartGatewayAsync(backend);
        using var client = TestHttp.CreateClient(gateway.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs/traced");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{incomingSpanId}-01");
        request.Headers.TryAddWithoutValidation("Request-Id", "|legacy.1.");
        using var response = await client.SendAsync(request);
        var echo = await response.ReadEchoAsync();

        // The proxied request's parent is a span the gateway made (its outgoing call), which hangs under the gateway's
        // server span for this request, which in turn continues the client's span: one trace, gateway in the middle.
        var forwarded = ActivityContext.Parse(echo.Headers["traceparent"], null);
        Assert.Equal(traceId, forwarded.TraceId.ToHexString());
        var parent = finished.Single(a => a.SpanId == forwarded.SpanId);
        Assert.Equal(ActivityKind.Client, parent.Kind);
        var gatewayServerSpan = parent.Parent;
        while (gatewayServerSpan?.Parent is not null) gatewayServerSpan = gatewayServerSpan.Parent;
        Assert.NotNull(gatewayServerSpan);
        Assert.Equal(ActivityKind.Server, gatewayServerSpan.Kind);
        Assert.Equal(incomingSpanId, gatewayServerSpan.ParentSpanId.ToHexString());
        Assert.DoesNotContain("Request-Id", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Client_abort_cancels_the_upstream_call_without_logging_errors()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestServers.StartBackendAsync(app => app.Map("/api/runs/endless", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("started\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            upstreamStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                upstreamCancelled.TrySetResult();
            }
        }));
        var logs = new ListLoggerProvider();
        await using var gateway = await StartGatewayAsync(backend, logs: logs);

        using (var client = TestHttp.CreateClient(gateway.Address))
        {
            using var response = await client.GetAsync("/api/runs/endless", HttpCompletionOption.ResponseHeadersRead);
            await upstreamStarted.Task.WaitAsync(Patience);
        }

        await upstreamCancelled.Task.WaitAsync(Patience);
        await Task.Delay(200); // let the gateway finish its side of the abort before looking at its logs
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Client aborted the request on route runs"));
    }

    [Fact]
    public async Task Destination_that_refused_a_connection_is_skipped_while_another_is_healthy()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", $"http://127.0.0.1:{TestServers.UnusedPort()}", "http://lineage")
            .Service("lineage", backend.Address)
            .Values);
        using var client = TestHttp.CreateClient(gateway.Address);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await client.GetAsync($"/api/runs/{i}");
            statuses.Add(response.StatusCode);
        }

        // Round robin sends one request to the dead destination at most; after that it is skipped.
        Assert.True(statuses.Count(s => s == HttpStatusCode.BadGateway) <= 1, string.Join(", ", statuses));
        Assert.All(statuses.Skip(2), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Shipped_routes_send_batch_paths_to_ingest_and_other_dataset_paths_to_validation()
    {
        await using var ingest = await TestServers.StartBackendAsync(app => app.MapEcho("ingest"));
        await using var validation = await TestServers.StartBackendAsync(app => app.MapEcho("validation"));
        await using var lineage = await TestServers.StartBackendAsync(app => app.MapEcho("lineage"));
        await using var gateway = await TestServers.StartGatewayAsync(
            new ProxyConfig().Service("ingest", ingest.Address).Service("validation", validation.Address).Service("lineage", lineage.Address).Values,
            jsonFile: Path.Combine(AppContext.BaseDirectory, "shipped", "gateway.appsettings.json"));
        using var client = TestHttp.CreateClient(gateway.Address);

        async Task<string> ServiceFor(HttpMethod method, string path)
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv") });
            return (await response.ReadEchoAsync()).Service;
        }

        Assert.Equal("ingest", await ServiceFor(HttpMethod.Post, "/api/datasets/banking.transactions/batches"));
        Assert.Equal("ingest", await ServiceFor(HttpMethod.Get, "/api/datasets/banking.transactions/batches/2025-01-01"));
        Assert.Equal("validation", await ServiceFor(HttpMethod.Get, "/api/datasets/banking.transactions"));
        Assert.Equal("validation", await ServiceFor(HttpMethod.Post, "/api/datasets"));
        Assert.Equal("ingest", await ServiceFor(HttpMethod.Post, "/api/datasets/banking.transactions/reconciliations"));
        Assert.Equal("ingest", await ServiceFor(HttpMethod.Post, "/api/datasets/banking.transactions/pulls"));
        Assert.Equal("validation", await ServiceFor(HttpMethod.Get, "/api/datasets/banking.transactions/schema"));
        Assert.Equal("lineage", await ServiceFor(HttpMethod.Get, "/api/runs/42"));
    }

    /// <summary>The gateway with one route <c>runs</c> (<c>/api/runs/{**rest}</c>) to cluster <c>lineage</c> at the backend.</summary>
    private static Task<RunningServer> StartGatewayAsync(RunningServer backend, ProxyConfig? config = null, ListLoggerProvider? logs = null) =>
        TestServers.StartGatewayAsync(
            (config ?? new ProxyConfig()
                .Route("runs", "lineage", "/api/runs/{**rest}")
                .Cluster("lineage", "http://lineage")
                .Service("lineage", backend.Address)).Values,
            logs);
}
