using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Pulls;

namespace Vigil.IntegrationTests.Validation;

/// <summary>Datasets pulled from a SQLite database file that Ingest's configuration names ('shop'), read-only and time-bounded.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class SqlitePullTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Pulling_a_sqlite_source_table_and_a_target_query_reconciles_them()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        Execute($"""
            CREATE TABLE orders_src_{suffix} (order_id TEXT PRIMARY KEY, amount REAL, placed_at TEXT, quantity INTEGER, note TEXT);
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 60)
            INSERT INTO orders_src_{suffix} SELECT 'o-' || n, n * 1.5, '2026-11-20T10:' || printf('%02d', n % 60) || ':00Z', n % 7, 'note ' || n FROM g;
            CREATE TABLE orders_tgt_{suffix} AS SELECT * FROM orders_src_{suffix} WHERE order_id NOT IN ('o-3', 'o-4', 'o-5');
            UPDATE orders_tgt_{suffix} SET amount = amount + 10 WHERE order_id IN ('o-10', 'o-11');
            UPDATE orders_tgt_{suffix} SET note = NULL WHERE order_id = 'o-20';
            INSERT INTO orders_tgt_{suffix} VALUES ('o-999', 1, '2026-11-20T11:00:00Z', 1, 'extra, with a comma and a "quote"');
            """);
        var dataset = await RegisterAsync(suffix, new
        {
            source = new { connection = "shop", table = $"orders_src_{suffix}" },
            target = new { connection = "shop", query = $"SELECT * FROM orders_tgt_{suffix} WHERE amount > 0" },
        });

        var run = await PulledRun.PullAsync(fixture, dataset);

        PulledRun.AssertReconciled(run, targetRows: 58, sourceRows: 60, missingInTarget: 3, unexpectedInTarget: 1, changedRecords: 3, nullsIntroduced: 1);
    }

    [Fact]
    public async Task A_sqlite_query_that_runs_past_the_pull_timeout_is_stopped_with_problem_json_and_no_run()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        var dataset = await RegisterAsync(suffix, new
        {
            target = new { connection = "shop", query = "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT count(*) AS n FROM forever" },
        });

        var started = DateTime.UtcNow;
        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("took longer than 20 s", problem.GetProperty("detail").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(50), "the pull was bounded by its timeout");
        Assert.Equal(0, (await fixture.Api.ListRunsAsync($"dataset={dataset}")).Total);
    }

    [Fact]
    public async Task A_sqlite_statement_that_writes_is_refused_and_the_table_is_untouched()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        Execute($"CREATE TABLE keep_{suffix} (id INTEGER PRIMARY KEY); INSERT INTO keep_{suffix} VALUES (1), (2), (3);");
        var dataset = await RegisterAsync(suffix, new
        {
            target = new { connection = "shop", query = $"WITH doomed AS (SELECT 1) DELETE FROM keep_{suffix}" },
        });

        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        using var connection = Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM keep_{suffix}";
        Assert.Equal(3L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_configured_sqlite_file_that_is_missing_is_a_pull_failure_naming_the_connection()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        var dataset = await RegisterAsync(suffix, new { target = new { connection = "gone", table = "orders" } });

        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("'gone'", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(fixture.SqliteSourcePath, problem.GetProperty("detail").GetString());
    }

    private async Task<string> RegisterAsync(string suffix, object pull)
    {
        var dataset = $"tests.sqlite_{suffix}";
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull });
        return dataset;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fixture.SqliteSourcePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
