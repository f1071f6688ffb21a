using Npgsql;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// Database connections Ingest may pull from, configured on the server only (<c>Ingest:Connections:{name}</c>); a request
/// names one, never carries a connection string. A value without a Host (e.g. <c>Database=warehouse</c>) is applied
/// over Ingest's own Postgres connection: another database on the same server.
/// </summary>
public sealed class PullConnections(IConfiguration configuration)
{
    public const string Section = "Ingest:Connections";

    public IReadOnlyCollection<string> Names => [.. configuration.GetSection(Section).GetChildren().Select(c => c.Key)];

    public string Resolve(string name)
    {
        if (configuration[$"{Section}:{name}"] is not { Length: > 0 } configured)
            throw new PullException($"No connection named '{name}' is configured on the server ({Section}:{name}).");
        var own = new NpgsqlConnectionStringBuilder(Vigil.ServiceDefaults.ConnectionStrings.Require(configuration, "postgres"));
        var given = new NpgsqlConnectionStringBuilder(configured);
        if (!string.IsNullOrEmpty(given.Host)) return given.ConnectionString;
        own.Database = given.Database ?? own.Database;
        own.ApplicationName = "vigil-ingest-pull";
        return own.ConnectionString;
    }
}
