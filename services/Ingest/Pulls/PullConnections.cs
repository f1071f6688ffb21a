using Npgsql;

namespace Vigil.Ingest.Pulls;

/// <summary>What kind of database a pull connection reads.</summary>
public enum PullSourceKind { Postgres, Sqlite, MySql }

/// <summary>A resolved pull connection: its kind and the connection string Ingest opens (never shown to callers).</summary>
public sealed record PullSource(string Name, PullSourceKind Kind, string ConnectionString);

/// <summary>
/// Database connections Ingest may pull from, configured on the server only; a request names one, never carries a
/// connection string or a path.
/// <list type="bullet">
/// <item><c>Ingest:Connections:{name}</c>: PostgreSQL. A value without a Host (e.g. <c>Database=warehouse</c>) is
/// applied over Ingest's own Postgres connection: another database on the same server.</item>
/// <item><c>Ingest:SqliteDatabases:{name}</c>: the path of a SQLite database file on Ingest's machine, opened read-only.</item>
/// <item><c>Ingest:MySqlConnections:{name}</c>: a MySQL/MariaDB connection string (MySqlConnector); give it a user that may only read.</item>
/// </list>
/// </summary>
public sealed class PullConnections(IConfiguration configuration)
{
    public const string Section = "Ingest:Connections";
    public const string SqliteSection = "Ingest:SqliteDatabases";
    public const string MySqlSection = "Ingest:MySqlConnections";

    public IReadOnlyCollection<string> Names =>
        [.. configuration.GetSection(Section).GetChildren().Concat(configuration.GetSection(SqliteSection).GetChildren()).Concat(configuration.GetSection(MySqlSection).GetChildren()).Select(c => c.Key).Distinct()];

    public PullSource Resolve(string name)
    {
        var postgres = configuration[$"{Section}:{name}"] is { Length: > 0 } p ? p : null;
        var sqlite = configuration[$"{SqliteSection}:{name}"] is { Length: > 0 } s ? s : null;
        var mysql = configuration[$"{MySqlSection}:{name}"] is { Length: > 0 } m ? m : null;
        if (new[] { postgres, sqlite, mysql }.Count(v => v is not null) > 1)
            throw new PullException($"Connection '{name}' is configured more than once on the server (under {Section}, {SqliteSection} or {MySqlSection}); rename one.");
        if (sqlite is not null) return new PullSource(name, PullSourceKind.Sqlite, SqliteExtract.ConnectionStringFor(sqlite));
        if (mysql is not null) return new PullSource(name, PullSourceKind.MySql, mysql);
        if (postgres is null)
            throw new PullException($"No connection named '{name}' is configured on the server ({Section}:{name}, {SqliteSection}:{name} or {MySqlSection}:{name}).");
        var own = new NpgsqlConnectionStringBuilder(Vigil.ServiceDefaults.ConnectionStrings.Require(configuration, "postgres"));
        var given = new NpgsqlConnectionStringBuilder(postgres);
        if (!string.IsNullOrEmpty(given.Host)) return new PullSource(name, PullSourceKind.Postgres, given.ConnectionString);
        own.Database = given.Database ?? own.Database;
        own.ApplicationName = "vigil-ingest-pull";
        return new PullSource(name, PullSourceKind.Postgres, own.ConnectionString);
    }
}
