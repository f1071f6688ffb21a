using Npgsql;

namespace Vigil.Ingest.Storage;

/// <summary>SQL for ingest.runs.</summary>
public sealed class RunStore(NpgsqlDataSource db)
{
    private const string Columns = "run_id, dataset, execution_date, content_type, content_sha256, size_bytes, object_key, status, created_at, source_object_key";

    public async Task<RunRecord?> FindLiveAsync(string dataset, DateOnly executionDate, string sha256, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM ingest.runs WHERE dataset = $1 AND execution_date = $2 AND content_sha256 = $3 AND superseded_by IS NULL");
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = executionDate });
        command.Parameters.Add(new() { Value = sha256 });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<RunRecord?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM ingest.runs WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>
    /// Inserts the run; with <paramref name="supersede"/>, an existing live run for the same content is marked superseded
    /// in the same transaction. Returns false when a concurrent request inserted the same content first.
    /// </summary>
    public async Task<bool> TryInsertAsync(RunRecord run, Guid? supersede, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (supersede is { } previous)
            {
                // The earlier run stops being live first so the unique index admits the rerun; the foreign key to the
                // new row is checked at commit.
                await using var mark = new NpgsqlCommand("UPDATE ingest.runs SET superseded_by = $1 WHERE run_id = $2", connection, transaction);
                mark.Parameters.Add(new() { Value = run.RunId });
                mark.Parameters.Add(new() { Value = previous });
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var insert = new NpgsqlCommand(
                "INSERT INTO ingest.runs (run_id, dataset, execution_date, content_type, content_sha256, size_bytes, object_key, status, created_at, source_object_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                connection, transaction);
            AddRunParameters(insert, run);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
    }

    public async Task SetStatusAsync(Guid runId, string status, string? reason, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE ingest.runs SET status = $2, failure_reason = $3 WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)reason ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddRunParameters(NpgsqlCommand command, RunRecord run)
    {
        command.Parameters.Add(new() { Value = run.RunId });
        command.Parameters.Add(new() { Value = run.Dataset });
        command.Parameters.Add(new() { Value = run.ExecutionDate });
        command.Parameters.Add(new() { Value = run.ContentType });
        command.Parameters.Add(new() { Value = run.ContentSha256 });
        command.Parameters.Add(new() { Value = run.SizeBytes });
        command.Parameters.Add(new() { Value = run.ObjectKey });
        command.Parameters.Add(new() { Value = run.Status });
        command.Parameters.Add(new() { Value = run.CreatedAt });
        command.Parameters.Add(new() { Value = (object?)run.SourceObjectKey ?? DBNull.Value });
    }

    private static async Task<RunRecord?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new RunRecord(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8))
        {
            SourceObjectKey = reader.IsDBNull(9) ? null : reader.GetString(9),
        };
    }
}
