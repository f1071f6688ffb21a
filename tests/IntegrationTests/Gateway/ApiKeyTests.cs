using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>API keys end to end: created through the admin endpoint, stored hashed in Postgres, checked on every /api call.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class ApiKeyTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Health_is_open_and_api_needs_a_key()
    {
        using var anonymous = fixture.CreateGatewayClient(apiKey: null);

        using var health = await anonymous.GetAsync("/health");
        using var runs = await anonymous.GetAsync("/api/runs");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("X-Api-Key", await runs.AssertProblemAsync(401));
    }

    [Fact]
    public async Task Unknown_key_is_401_problem_json()
    {
        using var client = fixture.CreateGatewayClient("vgl_0123456789abcdef_" + new string('0', 64));

        using var response = await client.GetAsync("/api/runs");

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Read_key_reads_but_cannot_register_a_dataset()
    {
        var (_, key) = await fixture.CreateApiKeyAsync("reader", ["read"]);
        using var reader = fixture.CreateGatewayClient(key);

        using var read = await reader.GetAsync("/api/runs");
        using var write = await reader.PostAsJsonAsync("/api/datasets", new { name = "gateway.scope_check", keyColumns = new[] { "id" } });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("'admin'", await write.AssertProblemAsync(403));
    }

    [Fact]
    public async Task Ingest_key_cannot_read_runs()
    {
        var (_, key) = await fixture.CreateApiKeyAsync("pipeline", ["ingest"]);
        using var pipeline = fixture.CreateGatewayClient(key);

        using var response = await pipeline.GetAsync("/api/runs");

        Assert.Contains("'read'", await response.AssertProblemAsync(403));
    }

    [Fact]
    public async Task Key_can_also_travel_as_a_bearer_token()
    {
        var (_, key) = await fixture.CreateApiKeyAsync("bearer", ["read"]);
        using var client = fixture.CreateGatewayClient(apiKey: null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        using var response = await client.GetAsync("/api/runs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoked_key_is_refused_within_the_cache_period()
    {
        var (id, key) = await fixture.CreateApiKeyAsync("to revoke", ["read"]);
        using var client = fixture.CreateGatewayClient(key);
        using var admin = fixture.CreateGatewayClient(fixture.AdminKey);

        using var before = await client.GetAsync("/api/runs");
        using var revoked = await admin.DeleteAsync($"/api/admin/keys/{id}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        HttpResponseMessage after;
        do
        {
            after = await client.GetAsync("/api/runs");
            if (after.StatusCode == HttpStatusCode.Unauthorized) break;
            after.Dispose();
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using (after) await after.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Key_list_shows_names_and_scopes_but_no_secret()
    {
        var (id, key) = await fixture.CreateApiKeyAsync("listed", ["ingest", "read"]);
        using var admin = fixture.CreateGatewayClient(fixture.AdminKey);

        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/admin/keys");
        var text = keys.ToString();

        var listed = keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("listed", listed.GetProperty("name").GetString());
        Assert.Equal(["ingest", "read"], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(key.Split('_')[2], text);
    }

    [Fact]
    public async Task Postgres_keeps_only_a_hash_of_the_secret()
    {
        var (id, key) = await fixture.CreateApiKeyAsync("hashed", ["read"]);
        var secret = key.Split('_')[2];

        await using var connection = new NpgsqlConnection(fixture.GetConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT secret_hash, row_to_json(k)::text FROM gateway.api_keys k WHERE id = $1", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var hash = reader.GetFieldValue<byte[]>(0);
        var row = reader.GetString(1);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:{secret}")), hash);
        Assert.DoesNotContain(secret, row);
    }

    [Fact]
    public async Task Bad_key_request_is_400_problem_json()
    {
        using var admin = fixture.CreateGatewayClient(fixture.AdminKey);

        using var response = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "bad", scopes = new[] { "root" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Admin_key_manages_keys_only()
    {
        using var admin = fixture.CreateGatewayClient(fixture.AdminKey);

        using var response = await admin.GetAsync("/api/runs");

        await response.AssertProblemAsync(403);
    }
}
