using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Pulls;

/// <summary>
/// Datasets pulled from a private MariaDB server (connection 'shopdb' in Ingest's configuration): streamed, read-only,
/// bounded by the pull timeout (20 s in the tests), with the same refusals as the PostgreSQL and SQLite pulls.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class MariaDbPullTests(VigilAppFixture fixture)
{
    [MariaDbFact]
    public async Task A_mariadb_target_is_reconciled_against_a_postgres_source()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        await SourcesDatabase.ExecuteAsync(fixture, $"""
            CREATE TABLE orders_src_{suffix} (order_id text PRIMARY KEY, amount numeric(12,2), quantity integer, paid boolean, placed_on date, note text);
            INSERT INTO orders_src_{suffix} SELECT 'o-' || g, g * 1.5, g % 7, g % 2 = 0, date '2026-11-01' + g % 20, 'note ' || g FROM generate_series(1, 40) g;
            """);
        await ExecuteAsync($"""
            CREATE TABLE orders_tgt_{suffix} (order_id varchar(20) PRIMARY KEY, amount decimal(12,2), quantity int, paid boolean, placed_on date, note text);
            INSERT INTO orders_tgt_{suffix} VALUES {string.Join(", ", Enumerable.Range(1, 40).Select(n =>
                $"('o-{n}', {(n * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture)}, {n % 7}, {(n % 2 == 0 ? "true" : "false")}, DATE_ADD('2026-11-01', INTERVAL {n % 20} DAY), 'note {n}')"))};
            DELETE FROM orders_tgt_{suffix} WHERE order_id IN ('o-3', 'o-4');
            UPDATE orders_tgt_{suffix} SET amount = amount + 10 WHERE order_id IN ('o-10', 'o-11');
            UPDATE orders_tgt_{suffix} SET note = NULL WHERE order_id = 'o-20';
            INSERT INTO orders_tgt_{suffix} VALUES ('o-999', 1, 1, true, '2026-11-20', 'extra, with a comma and a "quote"');
            """);
        var dataset = await RegisterAsync(suffix, new
        {
            source = new { connection = "sources", table = $"public.orders_src_{suffix}" },
            target = new { connection = "shopdb", table = $"{MariaDbServer.Database}.orders_tgt_{suffix}" },
        });

        var run = await PulledRun.PullAsync(fixture, dataset);

        PulledRun.AssertReconciled(run, targetRows: 39, sourceRows: 40, missingInTarget: 2, unexpectedInTarget: 1, changedRecords: 3, nullsIntroduced: 1);
    }

    [MariaDbFact]
    public async Task A_mariadb_query_that_writes_is_refused_by_the_read_only_transaction_and_nothing_changes()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        await ExecuteAsync($"""
            CREATE TABLE keep_{suffix} (id int PRIMARY KEY);
            INSERT INTO keep_{suffix} VALUES (1), (2), (3);
            """);
        await ExecuteAsync($"CREATE FUNCTION bump_{suffix}() RETURNS int MODIFIES SQL DATA BEGIN INSERT INTO keep_{suffix} VALUES (100); RETURN 1; END");
        var dataset = await RegisterAsync(suffix, new { target = new { connection = "shopdb", query = $"SELECT bump_{suffix}() AS order_id" } });

        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("READ ONLY", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3L, await CountAsync($"keep_{suffix}"));
        Assert.Equal(0, (await fixture.Api.ListRunsAsync($"dataset={dataset}")).Total);
    }

    [MariaDbFact]
    public async Task A_mariadb_query_with_a_second_statement_is_refused_before_it_reaches_the_server()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        await ExecuteAsync($"CREATE TABLE keep_{suffix} (id int PRIMARY KEY); INSERT INTO keep_{suffix} VALUES (1), (2);");
        // Starts with SELECT, so registration takes it; the pull refuses the ';' (a DDL statement would commit the read-only transaction).
        var dataset = await RegisterAsync(suffix, new { target = new { connection = "shopdb", query = $"SELECT 1 AS order_id) AS x; DROP TABLE keep_{suffix}; SELECT (1" } });

        using var response = await fixture.Api.PostPullAsync(dataset, executionDate: null);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("more than one statement", problem.GetProperty("detail").GetString());
        Assert.Equal(2L, await CountAsync($"keep_{suffix}"));
    }

    [MariaDbFact]
    public async Task A_mariadb_query_that_runs_past_the_pull_timeout_is_stopped_and_an_unknown_connection_is_refused()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        var slow = await RegisterAsync(suffix, new { target = new { connection = "shopdb", query = "SELECT SLEEP(120) AS order_id" } });

        var started = DateTime.UtcNow;
        using var response = await fixture.Api.PostPullAsync(slow, executionDate: null);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("took longer than 20 s", problem.GetProperty("detail").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the pull was bounded by its timeout");

        var unknown = await RegisterAsync(suffix + "u", new { target = new { connection = "nowhere", table = "orders" } });
        using var refused = await fixture.Api.PostPullAsync(unknown, executionDate: null);
        Assert.Contains("No connection named 'nowhere'", (await ProblemAsync(refused, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
    }

    private async Task<string> RegisterAsync(string suffix, object pull)
    {
        var dataset = $"tests.mariadb_{suffix}";
        await MariaDbServer.EnsureDatabaseAsync(fixture.MariaDbConnectionString!, TimeSpan.FromSeconds(60));
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

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await OpenAsync();
        await using var count = new MySqlCommand($"SELECT count(*) FROM {table}", connection);
        return Convert.ToInt64(await count.ExecuteScalarAsync());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<MySqlConnection> OpenAsync()
    {
        var connectionString = fixture.MariaDbConnectionString!;
        await MariaDbServer.EnsureDatabaseAsync(connectionString, TimeSpan.FromSeconds(60));
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
