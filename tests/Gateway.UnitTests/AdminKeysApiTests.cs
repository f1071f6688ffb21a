using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.Gateway.Access;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>POST/GET/DELETE /api/admin/keys against an in-memory store.</summary>
public sealed class AdminKeysApiTests
{
    [Fact]
    public async Task Created_key_is_shown_once_and_works_for_its_scopes()
    {
        await using var setup = await StartAsync();
        using var admin = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AdminKey);

        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "airflow", scopes = new[] { "read" } });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        using var listed = await admin.GetAsync("/api/admin/keys");
        var listing = await listed.Content.ReadAsStringAsync();
        using var user = TestHttp.CreateClient(setup.Gateway.Address, key);
        using var read = await user.GetAsync("/api/runs/1");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith(ApiKeyFormat.Prefix, key);
        Assert.Equal($"/api/admin/keys/{body.GetProperty("id").GetString()}", created.Headers.Location?.OriginalString);
        Assert.Contains("airflow", listing);
        Assert.DoesNotContain(key.Split('_')[2], listing);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Revoked_key_is_refused_at_once_on_the_revoking_gateway()
    {
        await using var setup = await StartAsync();
        using var admin = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AdminKey);
        var key = TestKeys.Create(setup.Store, [ApiKeyScopes.Read]);
        ApiKeyFormat.TryParse(key, out var id, out _);
        using var user = TestHttp.CreateClient(setup.Gateway.Address, key);

        using var before = await user.GetAsync("/api/runs/1");
        using var revoked = await admin.DeleteAsync($"/api/admin/keys/{id}");
        using var after = await user.GetAsync("/api/runs/1");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404_problem_json()
    {
        await using var setup = await StartAsync();
        using var admin = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AdminKey);

        using var response = await admin.DeleteAsync("/api/admin/keys/0123456789abcdef");

        Assert.Equal(404, (await response.ReadProblemAsync()).Status);
    }

    [Fact]
    public async Task Key_with_admin_scope_manages_keys_and_others_are_refused()
    {
        await using var setup = await StartAsync();
        using var adminScoped = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AllScopes);
        using var reader = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.ReadOnly);
        using var anonymous = TestHttp.CreateClient(setup.Gateway.Address, apiKey: null);

        using var allowed = await adminScoped.GetAsync("/api/admin/keys");
        using var forbidden = await reader.GetAsync("/api/admin/keys");
        using var unauthorized = await anonymous.GetAsync("/api/admin/keys");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(403, (await forbidden.ReadProblemAsync()).Status);
        Assert.Equal(401, (await unauthorized.ReadProblemAsync()).Status);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"scopes\": [\"everything\"]}", "scopes")]
    [InlineData("{\"name\": \"x\", \"scopes\": []}", "scopes")]
    [InlineData("{\"scopes\": [\"read\"]}", "name")]
    [InlineData("{\"name\": \"x\", \"scopes\": [\"read\"], \"rateLimit\": {\"capacity\": 0, \"refillPerSecond\": 1}}", "rateLimit")]
    [InlineData("{\"name\": \"x\", \"scopes\": [\"read\"], \"rateLimit\": {\"capacity\": 5, \"refillPerSecond\": -1}}", "rateLimit")]
    [InlineData("{not json", "body")]
    [InlineData("null", "body")]
    public async Task Bad_creation_request_is_400_problem_json_naming_the_field(string json, string field)
    {
        await using var setup = await StartAsync();
        using var admin = TestHttp.CreateClient(setup.Gateway.Address, TestKeys.AdminKey);

        using var response = await admin.PostAsync("/api/admin/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await setup.Store.ListAsync(CancellationToken.None) is var keys ? keys.Where(k => k.Name == "x") : []);
    }

    private static async Task<Setup> StartAsync()
    {
        var store = TestKeys.CreateStore();
        var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        var config = new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", "http://lineage")
            .Service("lineage", backend.Address);
        return new Setup(backend, await TestServers.StartGatewayAsync(config.Values, keys: store), store);
    }

    private sealed record Setup(RunningServer Backend, RunningServer Gateway, InMemoryApiKeyStore Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }
}
