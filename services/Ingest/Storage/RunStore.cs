using Npgsql;

namespace Vigil.Ingest.Storage;

/// <summary>What inserting a run came to.</summary>
public enum InsertOutcome
{
    Inserted,

    /// <summary>A concurrent submission of the same content inserted its run first.</summary>
    SameContentRace,

    /// <summary>A concurrent submission under the same Idempotency-Key took the key first.</summary>
    KeyTaken,
}

/// <summary>The message announcing a run, serialized for the outbox, with the trace it belongs to.</summary>
public sealed record OutboxEntry(string MessageType, string Body, string? TraceParent);

/// <summary>An Idempotency-Key and the request it was given with.</summary>
public sealed record KeyEntry(string Dataset, string Key, Guid RunId, string RequestSha256, TimeSpan Lifetime);

/// <summary>SQL for ingest.runs, the outbox rows and Idempotency-Keys written with them.</summary>
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
    /// Inserts the run, its <paramref name="announcement"/> into the outbox and its Idempotency-Key, all in one
    /// transaction: once this returns <see cref="InsertOutcome.Inserted"/> the run is stored and will be published. With
    /// <paramref name="supersede"/>, an existing live run for the same content is marked superseded in the same transaction.
    /// </summary>
    public async Task<InsertOutcome> TryInsertAsync(RunRecord run, Guid? supersede, OutboxEntry announcement, KeyEntry? key, CancellationToken cancellationToken)
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
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO ingest.runs (run_id, dataset, execution_date, content_type, content_sha256, size_bytes, object_key, status, created_at, source_object_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                connection, transaction))
            {
                AddRunParameters(insert, run);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await OutboxStore.EnqueueAsync(transaction, run.RunId, announcement, cancellationToken);
            // Kept with the run, so the redriver can announce it again if the run makes no progress.
            await using (var keep = new NpgsqlCommand("UPDATE ingest.runs SET announcement = $2::jsonb WHERE run_id = $1", connection, transaction))
            {
                keep.Parameters.Add(new() { Value = run.RunId });
                keep.Parameters.Add(new() { Value = announcement.Body });
                await keep.ExecuteNonQueryAsync(cancellationToken);
            }
            if (key is not null && !await ClaimKeyAsync(connection, transaction, key with { RunId = run.RunId }, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return InsertOutcome.KeyTaken;
            }
            await transaction.CommitAsync(cancellationToken);
            return InsertOutcome.Inserted;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken);
            return InsertOutcome.SameContentRace;
        }
    }

    /// <summary>The run an Idempotency-Key names (unless older than <paramref name="lifetime"/>), with the request it came with.</summary>
    public async Task<(RunRecord Run, string RequestSha256)?> FindByKeyAsync(string dataset, string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))}, k.request_sha256 FROM ingest.idempotency_keys k
            JOIN ingest.runs r ON r.run_id = k.run_id
            WHERE k.dataset = $1 AND k.key = $2 AND k.created_at > now() - $3::interval
            """);
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = lifetime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (ReadRun(reader), reader.GetString(10));
    }

    /// <summary>Points an Idempotency-Key at an existing run (a repeat of live content); false when the key is already taken.</summary>
    public async Task<bool> TryRememberKeyAsync(KeyEntry key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await ClaimKeyAsync(connection, null, key, cancellationToken);
    }

    /// <summary>Inserts the key, or takes over one that has outlived its lifetime; false when a live key holds the name.</summary>
    private static async Task<bool> ClaimKeyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, KeyEntry key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.idempotency_keys (dataset, key, run_id, request_sha256) VALUES ($1, $2, $3, $4)
            ON CONFLICT (dataset, key) DO UPDATE SET run_id = EXCLUDED.run_id, request_sha256 = EXCLUDED.request_sha256, created_at = now()
                WHERE idempotency_keys.created_at <= now() - $5::interval
            """, connection, transaction);
        command.Parameters.Add(new() { Value = key.Dataset });
        command.Parameters.Add(new() { Value = key.Key });
        command.Parameters.Add(new() { Value = key.RunId });
        command.Parameters.Add(new() { Value = key.RequestSha256 });
        command.Parameters.Add(new() { Value = key.Lifetime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
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
        return ReadRun(reader);
    }

    private static RunRecord ReadRun(NpgsqlDataReader reader)
    {
        return new RunRecord(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8))
        {
            SourceObjectKey = reader.IsDBNull(9) ? null : reader.GetString(9),
        };
    }
}
