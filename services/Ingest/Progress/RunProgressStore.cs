using Npgsql;
using Vigil.Contracts;
using Vigil.Ingest.Outbox;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Progress;

/// <summary>A run that has made no progress for a while, with the message that announced it.</summary>
public sealed record StalledRun(Guid RunId, string Dataset, int Redrives, string Announcement);

/// <summary>SQL for what Ingest knows of its runs after the announcement: progress, end, and announcing a run again.</summary>
public sealed class RunProgressStore(NpgsqlDataSource db)
{
    public async Task ProgressedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE ingest.runs SET progress_at = now() WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task EndedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE ingest.runs SET progress_at = now(), ended_at = COALESCE(ended_at, now()) WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Open runs with no sign of progress for <paramref name="quietFor"/>, announced fewer than <paramref name="maxRedrives"/>
    /// times again, and with nothing of theirs still waiting in the outbox; oldest first.
    /// </summary>
    public async Task<IReadOnlyList<StalledRun>> StalledAsync(TimeSpan quietFor, int maxRedrives, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT r.run_id, r.dataset, r.redrives, r.announcement::text FROM ingest.runs r
            WHERE r.ended_at IS NULL AND r.superseded_by IS NULL AND r.announcement IS NOT NULL AND r.redrives < $2
              AND COALESCE(r.progress_at, r.created_at) < now() - $1::interval
              AND NOT EXISTS (SELECT 1 FROM ingest.outbox o WHERE o.run_id = r.run_id)
            ORDER BY r.created_at
            LIMIT $3
            """);
        command.Parameters.Add(new() { Value = quietFor });
        command.Parameters.Add(new() { Value = maxRedrives });
        command.Parameters.Add(new() { Value = limit });
        var stalled = new List<StalledRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            stalled.Add(new StalledRun(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        return stalled;
    }

    /// <summary>
    /// Puts the run's announcement in the outbox again, marked as the next redrive, in one transaction with the count;
    /// false when the run ended or was redriven meanwhile (another replica, or a late message).
    /// </summary>
    public async Task<bool> RedriveAsync(StalledRun run, BatchIngested announcement, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var count = new NpgsqlCommand("""
            UPDATE ingest.runs SET redrives = redrives + 1, progress_at = now()
            WHERE run_id = $1 AND redrives = $2 AND ended_at IS NULL
            """, connection, transaction))
        {
            count.Parameters.Add(new() { Value = run.RunId });
            count.Parameters.Add(new() { Value = run.Redrives });
            if (await count.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        await OutboxStore.EnqueueAsync(transaction, run.RunId, OutboxMessages.Entry(announcement), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
