using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Pulls;

namespace Vigil.IntegrationTests.Validation;

/// <summary>Datasets pulled from a second database in the local Postgres, the way the seeds validate source and target views.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class PullTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Pulling_a_source_table_and_a_target_query_reconciles_them()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        await ExecuteAsync($"""
            CREATE TABLE orders_src_{suffix} (order_id text PRIMARY KEY, amount numeric(12,2), placed_at timestamptz, paid boolean, note text);
            CREATE TABLE orders_tgt_{suffix} (order_id text PRIMARY KEY, amount numeric(12,2), placed_at timestamptz, paid boolean, note text);
            INSERT INTO orders_src_{suffix} SELECT 'o-' || g, g * 1.5, timestamptz '2026-11-20 10:00+00' + g * interval '1 minute', g % 2 = 0, 'note ' || g FROM generate_series(1, 50) g;
            INSERT INTO orders_tgt_{suffix} SELECT order_id, amount, placed_at, paid, note FROM orders_src_{suffix} WHERE order_id NOT IN ('o-3', 'o-4');
            UPDATE orders_tgt_{suffix} SET amount = amount + 10 WHERE order_id IN ('o-10', 'o-11', 'o-12');
            INSERT INTO orders_tgt_{suffix} VALUES ('o-999', 1, now(), true, 'extra, with a comma');
            """);
        var dataset = $"tests.pull_{suffix}";
        await fixture.RegisterDatasetAsync(dataset, new
        {
            keyColumns = new[] { "order_id" },
            pull = new
            {
                source = new { connection = "sources", table = $"public.orders_src_{suffix}" },
                target = new { connection = "sources", query = $"SELECT * FROM orders_tgt_{suffix} WHERE amount > 0" },
            },
        });

        var run = await PulledRun.PullAsync(fixture, dataset);

        PulledRun.AssertReconciled(run, targetRows: 49, sourceRows: 50, missingInTarget: 2, unexpectedInTarget: 1, changedRecords: 3);
    }

    [Fact]
    public async Task Pulling_with_an_unknown_connection_is_rejected_with_the_reason()
    {
        var dataset = $"tests.pull_{Guid.NewGuid():n}"[..24];
        await fixture.RegisterDatasetAsync(dataset, new
        {
            keyColumns = new[] { "id" },
            pull = new { target = new { connection = "no_such_connection", table = "public.anything" } },
        });

        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no_such_connection", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_that_writes_is_refused_at_registration()
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/datasets", new
        {
            name = "tests.pull_writes",
            keyColumns = new[] { "id" },
            pull = new { target = new { connection = "sources", query = "DELETE FROM orders" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pull", out _));
    }

    private Task ExecuteAsync(string sql) => Pulls.SourcesDatabase.ExecuteAsync(fixture, sql);
}
