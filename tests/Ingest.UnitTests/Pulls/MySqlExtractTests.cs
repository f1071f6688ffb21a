using Microsoft.Extensions.Configuration;
using Vigil.Ingest.Pulls;

namespace Vigil.Ingest.UnitTests.Pulls;

/// <summary>What the MySQL/MariaDB pull decides before reaching a server (tests/IntegrationTests/Pulls reads a real MariaDB).</summary>
public sealed class MySqlExtractTests
{
    [Fact]
    public async Task A_query_with_a_second_statement_is_refused_before_connecting()
    {
        var side = new PullSide("shopdb", null, "SELECT 1 AS id) AS x; DROP TABLE orders; SELECT (1");
        // Port 9 on loopback: nothing listens, so reaching the connection would fail differently.
        var refused = await Assert.ThrowsAsync<PullException>(() =>
            MySqlExtract.ToCsvAsync("Server=127.0.0.1;Port=9;User ID=x", side, new MemoryStream(), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Contains("more than one statement", refused.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_pull_failure_naming_the_connection_not_its_address()
    {
        var side = new PullSide("shopdb", "orders", null);
        var failed = await Assert.ThrowsAsync<PullException>(() =>
            MySqlExtract.ToCsvAsync("Server=127.0.0.1;Port=9;User ID=x;Connection Timeout=2", side, new MemoryStream(), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Contains("Could not connect with 'shopdb'", failed.Message);
    }

    [Fact]
    public void A_mysql_connection_resolves_from_its_own_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:MySqlConnections:shopdb"] = "Server=db.internal;Database=shop;User ID=reader",
            ["Ingest:MySqlConnections:twice"] = "Server=a",
            ["Ingest:Connections:twice"] = "Database=b",
        }).Build();
        var connections = new PullConnections(configuration);

        var shop = connections.Resolve("shopdb");
        Assert.Equal(PullSourceKind.MySql, shop.Kind);
        Assert.Contains("db.internal", shop.ConnectionString);
        Assert.Contains("configured more than once", Assert.Throws<PullException>(() => connections.Resolve("twice")).Message);
        Assert.Contains("Ingest:MySqlConnections:nope", Assert.Throws<PullException>(() => connections.Resolve("nope")).Message);
    }
}
