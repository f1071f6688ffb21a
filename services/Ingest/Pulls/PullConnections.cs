using Npgsql;

namespace Vigil.Ingest.Pulls;

/// <summary>What kind of database a pull connection reads.</summary>
public enum PullSourceKind { Postgres, Sqlite }

/// <summary>A resolved pull connection: its kind and the connection string Ingest opens (never shown to callers).</summary>
public sealed record PullSource(string Name, PullSourceKind Kind, string ConnectionString);

/// <summary>
/// Database connections Ingest may pull from, configured on the server only; a request names one, never carries a
/// connection string or a path.
/// <list type="bullet">
/// <item><c>Ingest:Connections:{name}</c>: PostgreSQL. A value without a Host (e.g. <c>Database=warehouse</c>) is
/// applied over Ingest's own Postgres connection: another database on the same server.</item>
/// <item><c>Ingest:SqliteDatabases:{name}</c>: the path of a SQLite database file on Ingest's machine, opened read-only.</item>
/// </list>
/// </summary>
public sealed class PullConnections(IConfiguration configuration)
{
    public const string Section = "Ingest:Connections";
    public const string SqliteSection = "Ingest:SqliteDatabases";

    public IReadOnlyCollection<string> Names =>
        [.. configuration.GetSection(Section).GetChildren().Concat(configuration.GetSection(SqliteSection).GetChildren()).Select(c => c.Key).Distinct()];

    public PullSource Resolve(string name)
    {
        var postgres = configuration[$"{Section}:{name}"] is { Length: > 0 } p ? p : null;
        var sqlite = configuration[$"{SqliteSection}:{name}"] is { Length: > 0 } s ? s : null;
        if (postgres is not null && sqlite is not null)
            throw new PullException($"Connection '{name}' is configured twice on the server ({Section}:{name} and {SqliteSection}:{name}); rename one.");
        if (sqlite is not null) return new PullSource(name, PullSourceKind.Sqlite, SqliteExtract.ConnectionStringFor(sqlite));
        if (postgres is null)
            throw new PullException($"No connection named '{name}' is configured on the server ({Section}:{name} or {SqliteSection}:{name}).");
        var own = new NpgsqlConnectionStringBuilder(Vigil.ServiceDefaults.ConnectionStrings.Require(configuration, "postgres"));
        var given = new NpgsqlConnectionStringBuilder(postgres);
        if (!string.IsNullOrEmpty(given.Host)) return new PullSource(name, PullSourceKind.Postgres, given.ConnectionString);
        own.Database = given.Database ?? own.Database;
        own.ApplicationName = "vigil-ingest-pull";
        return new PullSource(name, PullSourceKind.Postgres, own.ConnectionString);
    }
}
