using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// Reads a table, view or query from PostgreSQL with binary COPY and writes it as CSV (RFC 4180, header row, invariant
/// formatting, empty field for null), the format uploaded batches come in. Runs in a read-only transaction with a
/// statement timeout, so a dataset's query can neither write nor run forever.
/// </summary>
public static class PostgresExtract
{
    public static async Task<long> ToCsvAsync(string connectionString, PullSide side, Stream output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var select = PullPlan.SelectFor(side);
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new PullException($"Could not connect with '{side.Connection}': {e.Message}", e);
        }
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var guard = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {(int)timeout.TotalMilliseconds}", connection, transaction))
            await guard.ExecuteNonQueryAsync(cancellationToken);

        var columns = await DescribeAsync(connection, transaction, select, side, cancellationToken);
        var projection = string.Join(", ", columns.Select(c => c.Reader is null ? $"{Quote(c.Name)}::text" : Quote(c.Name)));
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(',', columns.Select(c => Csv(c.Name))));

        long rows = 0;
        try
        {
            await using var export = await connection.BeginBinaryExportAsync($"COPY (SELECT {projection} FROM ({select}) AS source) TO STDOUT (FORMAT BINARY)", cancellationToken);
            var fields = new string[columns.Count];
            while (await export.StartRowAsync(cancellationToken) >= 0)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    fields[i] = export.IsNull ? SkipNull(export) : Csv(await (columns[i].Reader ?? ReadText)(export, cancellationToken));
                }
                await writer.WriteLineAsync(string.Join(',', fields));
                rows++;
            }
        }
        catch (PostgresException e)
        {
            throw new PullException($"Reading '{side.Table ?? "the query"}' with '{side.Connection}' failed: {e.MessageText}", e);
        }
        return rows;
    }

    private sealed record ExportColumn(string Name, Func<NpgsqlBinaryExporter, CancellationToken, Task<string>>? Reader);

    private static async Task<List<ExportColumn>> DescribeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string select, PullSide side, CancellationToken cancellationToken)
    {
        try
        {
            await using var describe = new NpgsqlCommand($"SELECT * FROM ({select}) AS source LIMIT 0", connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, cancellationToken);
            var schema = await reader.GetColumnSchemaAsync(cancellationToken);
            return [.. schema.Select(c => new ExportColumn(c.ColumnName, ReaderFor(c.DataTypeName ?? "")))];
        }
        catch (PostgresException e)
        {
            throw new PullException($"'{side.Table ?? side.Query}' cannot be read with '{side.Connection}': {e.MessageText}", e);
        }
    }

    /// <summary>Binary readers for common types; anything else is cast to text in the COPY's SELECT.</summary>
    private static Func<NpgsqlBinaryExporter, CancellationToken, Task<string>>? ReaderFor(string dataType) => dataType switch
    {
        "smallint" => async (e, t) => (await e.ReadAsync<short>(NpgsqlDbType.Smallint, t)).ToString(CultureInfo.InvariantCulture),
        "integer" => async (e, t) => (await e.ReadAsync<int>(NpgsqlDbType.Integer, t)).ToString(CultureInfo.InvariantCulture),
        "bigint" => async (e, t) => (await e.ReadAsync<long>(NpgsqlDbType.Bigint, t)).ToString(CultureInfo.InvariantCulture),
        "real" => async (e, t) => (await e.ReadAsync<float>(NpgsqlDbType.Real, t)).ToString("R", CultureInfo.InvariantCulture),
        "double precision" => async (e, t) => (await e.ReadAsync<double>(NpgsqlDbType.Double, t)).ToString("R", CultureInfo.InvariantCulture),
        "numeric" => async (e, t) => (await e.ReadAsync<decimal>(NpgsqlDbType.Numeric, t)).ToString(CultureInfo.InvariantCulture),
        "boolean" => async (e, t) => await e.ReadAsync<bool>(NpgsqlDbType.Boolean, t) ? "true" : "false",
        "text" or "character varying" or "character" => async (e, t) => await e.ReadAsync<string>(NpgsqlDbType.Text, t),
        "date" => async (e, t) => (await e.ReadAsync<DateOnly>(NpgsqlDbType.Date, t)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "timestamp with time zone" => async (e, t) => (await e.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, t)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        "timestamp without time zone" => async (e, t) => (await e.ReadAsync<DateTime>(NpgsqlDbType.Timestamp, t)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        "uuid" => async (e, t) => (await e.ReadAsync<Guid>(NpgsqlDbType.Uuid, t)).ToString(),
        _ => null,
    };

    private static Task<string> ReadText(NpgsqlBinaryExporter export, CancellationToken cancellationToken) => export.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).AsTask();

    private static string SkipNull(NpgsqlBinaryExporter export)
    {
        export.Skip();
        return "";
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    private static string Csv(string value) => PullCsv.Field(value);
}
