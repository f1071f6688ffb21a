using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Vigil.Ingest.Pulls;

namespace Vigil.Ingest.UnitTests.Pulls;

/// <summary>SQLite pulls against a real database file in the temp folder.</summary>
public sealed class SqliteExtractTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-pull-{Guid.NewGuid():n}.sqlite");

    public SqliteExtractTests()
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE orders (order_id TEXT PRIMARY KEY, amount REAL, quantity INTEGER, note TEXT, raw BLOB);
            INSERT INTO orders VALUES ('o-1', 1.5, 2, 'plain', NULL), ('o-2', 0.1, NULL, 'comma, "quote"', x'0102'), ('o-3', 1e20, 7, '', NULL);
            """;
        command.ExecuteNonQuery();
    }

    private async Task<(long Rows, string Csv)> ExtractAsync(PullSide side, TimeSpan? timeout = null)
    {
        using var output = new MemoryStream();
        var rows = await SqliteExtract.ToCsvAsync(SqliteExtract.ConnectionStringFor(_path), side, output, timeout ?? TimeSpan.FromMinutes(1), CancellationToken.None);
        return (rows, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task A_table_becomes_csv_with_a_header_invariant_numbers_quoted_text_and_empty_nulls()
    {
        var (rows, csv) = await ExtractAsync(new PullSide("shop", "orders", null));

        Assert.Equal(3, rows);
        Assert.Equal(
            "order_id,amount,quantity,note,raw\n" +
            "o-1,1.5,2,plain,\n" +
            "o-2,0.1,,\"comma, \"\"quote\"\"\",AQI=\n" +
            "o-3,1E+20,7,\"\",\n", csv);
    }

    [Fact]
    public async Task A_query_is_read_as_a_subquery()
    {
        var (rows, csv) = await ExtractAsync(new PullSide("shop", null, "SELECT order_id, quantity * 10 AS q FROM orders WHERE quantity IS NOT NULL ORDER BY order_id;"));

        Assert.Equal(2, rows);
        Assert.Equal("order_id,q\no-1,20\no-3,70\n", csv);
    }

    [Fact]
    public async Task A_statement_that_writes_fails_and_leaves_the_table_as_it_was()
    {
        var error = await Assert.ThrowsAsync<PullException>(() => ExtractAsync(new PullSide("shop", null, "WITH x AS (SELECT 1) DELETE FROM orders")));

        Assert.Contains("'shop'", error.Message);
        Assert.Equal(3, (await ExtractAsync(new PullSide("shop", "orders", null))).Rows);
    }

    [Fact]
    public async Task A_query_still_running_at_the_timeout_is_interrupted()
    {
        var error = await Assert.ThrowsAsync<PullException>(() => ExtractAsync(
            new PullSide("shop", null, "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT count(*) FROM forever"),
            TimeSpan.FromMilliseconds(300)));

        Assert.Contains("took longer than", error.Message);
    }

    [Fact]
    public async Task A_missing_file_is_refused_without_creating_it_or_showing_its_path()
    {
        File.Delete(_path);

        var error = await Assert.ThrowsAsync<PullException>(() => ExtractAsync(new PullSide("shop", "orders", null)));

        Assert.Contains("'shop'", error.Message);
        Assert.DoesNotContain(_path, error.Message);
        Assert.False(File.Exists(_path));
    }

    [Fact]
    public void Connections_resolve_by_kind_and_an_unknown_or_doubly_configured_name_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=5432;Username=vigil;Password=x;Database=vigil",
            ["Ingest:Connections:warehouse"] = "Database=warehouse",
            ["Ingest:SqliteDatabases:shop"] = _path,
            ["Ingest:Connections:both"] = "Database=b",
            ["Ingest:SqliteDatabases:both"] = _path,
        }).Build();
        var connections = new PullConnections(configuration);

        Assert.Equal(PullSourceKind.Postgres, connections.Resolve("warehouse").Kind);
        Assert.Contains("Database=warehouse", connections.Resolve("warehouse").ConnectionString);
        var shop = connections.Resolve("shop");
        Assert.Equal(PullSourceKind.Sqlite, shop.Kind);
        Assert.Contains("Mode=ReadOnly", shop.ConnectionString);
        Assert.Contains("no_such", Assert.Throws<PullException>(() => connections.Resolve("no_such")).Message);
        Assert.Contains("configured more than once", Assert.Throws<PullException>(() => connections.Resolve("both")).Message);
        Assert.Equal(["both", "shop", "warehouse"], connections.Names.Order());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
