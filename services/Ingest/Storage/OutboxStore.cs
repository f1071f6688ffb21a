using Npgsql;

namespace Vigil.Ingest.Storage;

/// <summary>A message waiting in ingest.outbox.</summary>
public sealed record OutboxMessage(long Id, Guid RunId, string MessageType, string Body, string? TraceParent, int Attempts);

/// <summary>SQL for ingest.outbox: rows are written by <see cref="RunStore.TryInsertAsync"/>, claimed and removed here.</summary>
public sealed class OutboxStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Opens a transaction holding up to <paramref name="limit"/> due messages locked (replicas skip them); the caller
    /// publishes, marks each with <see cref="PublishedAsync"/> or <see cref="FailedAsync"/>, then commits.
    /// </summary>
    public async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, IReadOnlyList<OutboxMessage> Due)> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT id, run_id, message_type, body::text, trace_parent, attempts FROM ingest.outbox
                WHERE next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                """, connection, transaction);
            command.Parameters.Add(new() { Value = limit });
            var due = new List<OutboxMessage>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    due.Add(new OutboxMessage(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
            }
            return (connection, transaction, due);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues <paramref name="entry"/> for the run inside the caller's transaction (a run's first announcement, or a redrive).</summary>
    public static async Task EnqueueAsync(NpgsqlTransaction transaction, Guid runId, OutboxEntry entry, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO ingest.outbox (run_id, message_type, body, trace_parent) VALUES ($1, $2, $3::jsonb, $4)", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = entry.MessageType });
        command.Parameters.Add(new() { Value = entry.Body });
        command.Parameters.Add(new() { Value = (object?)entry.TraceParent ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task PublishedAsync(NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM ingest.outbox WHERE id = $1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task FailedAsync(NpgsqlTransaction transaction, long id, TimeSpan retryIn, string error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE ingest.outbox SET attempts = attempts + 1, next_attempt_at = now() + $2, last_error = $3 WHERE id = $1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = retryIn });
        command.Parameters.Add(new() { Value = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many messages wait, and how old the oldest is (for /health).</summary>
    public async Task<(long Waiting, TimeSpan? OldestAge)> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT count(*), now() - min(created_at) FROM ingest.outbox");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<TimeSpan>(1));
    }
}
