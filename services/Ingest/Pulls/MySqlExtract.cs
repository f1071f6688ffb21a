using System.Data;
using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// Reads a table, view or query from MySQL or MariaDB and writes it as CSV like <see cref="PostgresExtract"/> (header
/// row, invariant formatting, empty field for null; blobs as base64). Runs in a read-only transaction with ANSI quotes
/// (so a dataset's <c>schema.table</c> is quoted as for the other sources); rows are streamed from the server as they
/// are written, and a read still going at the timeout is stopped (the driver kills the query on the server).
/// </summary>
public static class MySqlExtract
{
    public static async Task<long> ToCsvAsync(string connectionString, PullSide side, Stream output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // MySQL runs a text with ';' as several statements, and a DDL statement would commit the read-only
        // transaction implicitly: one statement only.
        if (side.Query is { } query && query.TrimEnd().TrimEnd(';').Contains(';'))
            throw new PullException($"The query of '{side.Connection}' holds more than one statement (';'); a pull runs a single SELECT.");
        var select = PullPlan.SelectFor(side);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var builder = new MySqlConnectionStringBuilder(connectionString) { ApplicationName = "vigil-ingest-pull" };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(deadline.Token);
            await using (var mode = new MySqlCommand("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')", connection))
                await mode.ExecuteNonQueryAsync(deadline.Token);
        }
        catch (MySqlException e)
        {
            throw new PullException($"Could not connect with '{side.Connection}': {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(side, timeout, e);
        }

        long rows = 0;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, isReadOnly: true, deadline.Token);
            await using var command = new MySqlCommand($"SELECT * FROM ({select}) AS source", connection, transaction)
            {
                CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, deadline.Token);
            await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
            var width = reader.FieldCount;
            var dateOnly = Enumerable.Range(0, width).Select(i => reader.GetDataTypeName(i).Equals("DATE", StringComparison.OrdinalIgnoreCase)).ToArray();
            await writer.WriteLineAsync(string.Join(',', Enumerable.Range(0, width).Select(i => PullCsv.Field(reader.GetName(i)))));
            var fields = new string[width];
            while (await reader.ReadAsync(deadline.Token))
            {
                for (var i = 0; i < width; i++) fields[i] = Field(reader.GetValue(i), dateOnly[i]);
                await writer.WriteLineAsync(string.Join(',', fields));
                rows++;
            }
            await writer.FlushAsync(deadline.Token);
            // The transaction is disposed without a commit: it only read.
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.QueryInterrupted || deadline.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw TimedOut(side, timeout, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(side, timeout, e);
        }
        catch (MySqlException e)
        {
            throw new PullException($"Reading '{side.Table ?? "the query"}' with '{side.Connection}' failed: {e.Message}", e);
        }
        return rows;
    }

    private static PullException TimedOut(PullSide side, TimeSpan timeout, Exception inner) =>
        new($"Reading '{side.Table ?? "the query"}' with '{side.Connection}' took longer than {timeout.TotalSeconds:0} s and was stopped.", inner);

    private static string Field(object value, bool dateOnly) => value switch
    {
        DBNull => "",
        string s => PullCsv.Field(s),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t when dateOnly => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable number => PullCsv.Field(number.ToString(null, CultureInfo.InvariantCulture)),
        _ => PullCsv.Field(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };
}
