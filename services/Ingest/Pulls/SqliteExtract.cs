using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// Reads a table, view or query from a SQLite database file and writes it as CSV like <see cref="PostgresExtract"/>
/// (header row, invariant formatting, empty field for null; blobs as base64). The file is opened read-only with
/// <c>query_only</c> set, so nothing can write to it, and a query still running at the timeout is interrupted.
/// </summary>
public static class SqliteExtract
{
    /// <summary>The connection string for a configured database file: read-only, never created when missing.</summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Mode = SqliteOpenMode.ReadOnly,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
    }.ToString();

    public static Task<long> ToCsvAsync(string connectionString, PullSide side, Stream output, TimeSpan timeout, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite reads synchronously; the read runs off the request's thread.
        Task.Run(() => ToCsv(connectionString, side, output, timeout, cancellationToken), cancellationToken);

    private static long ToCsv(string connectionString, PullSide side, Stream output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var select = PullPlan.SelectFor(side);
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!File.Exists(file)) throw new PullException($"The SQLite database of '{side.Connection}' is not there (the server's configured file is missing).");
        using var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var guard = connection.CreateCommand();
            guard.CommandText = "PRAGMA query_only = ON";
            guard.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw new PullException($"Could not open the SQLite database of '{side.Connection}': {e.Message}", e);
        }

        // A single step of a query can run for ever (an aggregate over a huge join): sqlite3_interrupt stops it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var interrupt = deadline.Token.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle));
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        long rows = 0;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM ({select}) AS source";
            using var reader = command.ExecuteReader();
            var width = reader.FieldCount;
            writer.WriteLine(string.Join(',', Enumerable.Range(0, width).Select(i => PullCsv.Field(reader.GetName(i)))));
            var fields = new string[width];
            while (reader.Read())
            {
                for (var i = 0; i < width; i++) fields[i] = Field(reader.GetValue(i));
                writer.WriteLine(string.Join(',', fields));
                rows++;
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_INTERRUPT)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new PullException($"Reading '{side.Table ?? "the query"}' with '{side.Connection}' took longer than {timeout.TotalSeconds:0} s and was stopped.", e);
        }
        catch (SqliteException e)
        {
            throw new PullException($"Reading '{side.Table ?? "the query"}' with '{side.Connection}' failed: {e.Message}", e);
        }
        return rows;
    }

    private static string Field(object value) => value switch
    {
        DBNull => "",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => PullCsv.Field(s),
        byte[] b => Convert.ToBase64String(b),
        _ => PullCsv.Field(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };
}
