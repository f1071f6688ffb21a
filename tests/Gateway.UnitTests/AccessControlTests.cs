using System.Net;
using System.Net.Http.Headers;
using Vigil.Gateway.Access;
using Vigil.Gateway.Limits;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>Keys, scopes and rate limits in front of the proxied routes (keys in memory, Redis replaced by a counter).</summary>
public sealed class AccessControlTests
{
    [Fact]
    public async Task Request_without_a_key_is_refused_with_401_problem_json()
    {
        await using var setup = await Setup.StartAsync();
        using var client = TestHttp.CreateClient(setup.Gateway.Address, apiKey: null);

        using var response = await client.GetAsync("/api/runs/1");
        var problem = await response.ReadProblemAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, problem.Status);
        Assert.Contains("X-Api-Key", problem.Detail);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("vgl_0123456789abcdef_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Malformed_or_unknown_key_is_refused_with_401_problem_json(string key)
    {
        await using var setup = await Setup.StartAsync();
        using var client = TestHttp.CreateClient(setup.Gateway.Address, key);

        using var response = await client.GetAsync("/api/runs/1");

        Assert.Equal(401, (await response.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Known_key_id_with_a_wrong_secret_is_refused()
    {
        await using var setup = await Setup.StartAsync();
        var genuine = TestKeys.AllScopes;
        var forged = genuine[..^4] + (genuine.EndsWith("0000", StringComparison.Ordinal) ? "1111" : "0000");
        using var client = TestHttp.CreateClient(setup.Gateway.Address, forged);

        using var response = await client.GetAsync("/api/runs/1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Key_in_an_Authorization_bearer_header_is_accepted()
    {
        await using var setup = await Setup.StartAsync();
        using var client = TestHttp.CreateClient(setup.Gateway.Address, apiKey: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.ReadOnly);

        using var response = await client.GetAsync("/api/runs/1");

        Assert.Equal("GET", (await response.ReadEchoAsync()).Method);
    }

    [Fact]
    public async Task Forwarded_request_carries_no_gateway_credentials()
    {
        await using var setup = await Setup.StartAsync();
        using var client = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);

        var echo = await (await client.GetAsync("/api/runs/1")).ReadEchoAsync();

        Assert.DoesNotContain("X-Api-Key", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Reads_need_the_read_scope_and_writes_the_routes_policy()
    {
        await using var setup = await Setup.StartAsync();
        using var ingestOnly = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.IngestOnly);
        using var readOnly = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);

        using var ingestReads = await ingestOnly.GetAsync("/api/runs/1");
        using var ingestWrites = await ingestOnly.PostAsync("/api/runs/1", new StringContent("{}"));
        using var readerWrites = await readOnly.PostAsync("/api/runs/1", new StringContent("{}"));

        var refusal = await ingestReads.ReadProblemAsync();
        Assert.Equal(403, refusal.Status);
        Assert.Contains("'read'", refusal.Detail);
        Assert.Equal("POST", (await ingestWrites.ReadEchoAsync()).Method);
        Assert.Equal(403, (await readerWrites.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Route_without_a_policy_needs_admin_for_writes()
    {
        await using var setup = await Setup.StartAsync(policy: null);
        using var ingestOnly = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.IngestOnly);
        using var all = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AllScopes);

        using var refused = await ingestOnly.PostAsync("/api/runs/1", new StringContent("{}"));
        using var accepted = await all.PostAsync("/api/runs/1", new StringContent("{}"));

        Assert.Contains("'admin'", (await refused.ReadProblemAsync()).Detail);
        Assert.Equal("POST", (await accepted.ReadEchoAsync()).Method);
    }

    [Fact]
    public async Task Unmatched_api_path_needs_a_key_before_it_is_answered_404()
    {
        await using var setup = await Setup.StartAsync();
        using var anonymous = TestHttp.CreateClient(setup.Gateway.Address, apiKey: null);
        using var reader = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);

        using var withoutKey = await anonymous.GetAsync("/api/nothing-here");
        using var withKey = await reader.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withKey.StatusCode);
    }

    [Fact]
    public async Task Paths_outside_api_need_no_key()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        var config = new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Route("root", "lineage", "/status")
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address);
        await using var gateway = await TestServers.StartGatewayAsync(config.Values);
        using var anonymous = TestHttp.CreateClient(gateway.Address, apiKey: null);

        using var response = await anonymous.GetAsync("/status");

        Assert.Equal("/status", (await response.ReadEchoAsync()).Path);
    }

    [Fact]
    public async Task Admin_key_is_refused_outside_key_management()
    {
        await using var setup = await Setup.StartAsync();
        using var admin = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AdminKey);

        using var response = await admin.GetAsync("/api/runs/1");

        Assert.Equal(403, (await response.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Revoked_key_is_refused_once_its_cache_entry_expires()
    {
        var store = TestKeys.CreateStore();
        var key = TestKeys.Create(store, [ApiKeyScopes.Read]);
        ApiKeyFormat.TryParse(key, out var id, out _);
        await using var setup = await Setup.StartAsync(store: store, extra: new() { ["Gateway:KeyCacheDuration"] = "00:00:00.200" });
        using var client = TestHttp.CreateClient(setup.Gateway.Address, key);

        using var before = await client.GetAsync("/api/runs/1");
        await store.RevokeAsync(id, DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(400);
        using var after = await client.GetAsync("/api/runs/1");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(401, (await after.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Validated_key_is_looked_up_once_per_cache_period()
    {
        var store = TestKeys.CreateStore();
        await using var setup = await Setup.StartAsync(store: store);
        using var client = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/api/runs/1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, store.Lookups);
    }

    [Fact]
    public async Task Flood_from_one_key_gets_429_with_Retry_After_while_other_keys_pass()
    {
        var store = TestKeys.CreateStore();
        var flooder = TestKeys.Create(store, [ApiKeyScopes.Read], new TokenBucketSettings { Capacity = 3, RefillPerSecond = 0.5 });
        await using var setup = await Setup.StartAsync(store: store, rateLimiter: new CountingRateLimiter());
        using var flooding = TestHttp.CreateClient(setup.Gateway.Address, flooder);
        using var other = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var passed = await flooding.GetAsync("/api/runs/1");
            statuses.Add(passed.StatusCode);
        }

        using var refused = await flooding.GetAsync("/api/runs/1");
        using var bystander = await other.GetAsync("/api/runs/1");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(429, (await refused.ReadProblemAsync()).Status);
        Assert.Equal("2", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, bystander.StatusCode);
    }

    /// <summary>A gateway with route <c>runs</c> to an echo backend, writes needing <paramref name="policy"/>.</summary>
    private sealed class Setup(RunningServer backend, RunningServer gateway) : IAsyncDisposable
    {
        public RunningServer Gateway { get; } = gateway;

        public static async Task<Setup> StartAsync(string? policy = ApiKeyScopes.Ingest, IApiKeyStore? store = null,
            IRateLimiter? rateLimiter = null, Dictionary<string, string?>? extra = null)
        {
            var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
            var config = new ProxyConfig()
                .Route("runs", "lineage", "/api/runs/{**rest}")
                .Cluster("lineage", "http://lineage")
                .Service("lineage", backend.Address);
            if (policy is not null) config.Set("ReverseProxy:Routes:runs:AuthorizationPolicy", policy);
            foreach (var (key, value) in extra ?? []) config.Set(key, value);
            var gateway = await TestServers.StartGatewayAsync(config.Values, keys: store, rateLimiter: rateLimiter);
            return new Setup(backend, gateway);
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await backend.DisposeAsync();
        }
    }
}
