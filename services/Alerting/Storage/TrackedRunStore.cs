using Npgsql;

namespace Vigil.Alerting.Storage;

/// <summary>An open run the sweeper found past a policy's limit, with how long it has been open (database time).</summary>
public sealed record OverdueRun(Guid RunId, string Dataset, DateOnly? ExecutionDate, DateTimeOffset StartedAt, DateTimeOffset Now);

/// <summary>A run Alerting marked stuck, and how it ended if it has since.</summary>
public sealed record StuckRunView(Guid RunId, string Dataset, DateOnly? ExecutionDate, DateTimeOffset? StartedAt, DateTimeOffset StuckAt,
    DateTimeOffset? EndedAt, string Status);

/// <summary>
/// SQL for alerting.runs: when runs started and ended, as the bus tells it. Upserts only move a run forward, so
/// redelivered or reordered events leave the same row.
/// </summary>
public sealed class TrackedRunStore(NpgsqlDataSource db)
{
    public async Task StartedAsync(Guid runId, string dataset, DateOnly executionDate, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO alerting.runs (run_id, dataset, execution_date, started_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (run_id) DO UPDATE SET
                execution_date = COALESCE(runs.execution_date, EXCLUDED.execution_date),
                started_at = LEAST(runs.started_at, EXCLUDED.started_at),
                updated_at = now()
            """);
        command.Add(runId).Add(dataset).Add(executionDate).Add(startedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the run and returns what is known of its start, and whether it completed. A completion wins over a failure (a stage that failed and
    /// then went through on a replay completed the run, as Lineage also records); otherwise the first end stays.
    /// </summary>
    public async Task<(DateOnly? ExecutionDate, DateTimeOffset? StartedAt, bool Completed)> EndedAsync(
        Guid runId, string dataset, DateOnly? executionDate, bool failed, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO alerting.runs (run_id, dataset, execution_date, ended_at, outcome) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (run_id) DO UPDATE SET
                execution_date = COALESCE(runs.execution_date, EXCLUDED.execution_date),
                ended_at = CASE WHEN EXCLUDED.outcome = 'completed' AND runs.outcome IS DISTINCT FROM 'completed' THEN EXCLUDED.ended_at
                                ELSE COALESCE(runs.ended_at, EXCLUDED.ended_at) END,
                outcome = CASE WHEN runs.outcome = 'completed' OR EXCLUDED.outcome = 'completed' THEN 'completed' ELSE 'failed' END,
                updated_at = now()
            RETURNING execution_date, started_at, outcome = 'completed'
            """);
        command.Add(runId).Add(dataset).Add(executionDate).Add(endedAt).Add(failed ? "failed" : "completed");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.NullableDate(0), reader.NullableTime(1), reader.GetBoolean(2));
    }

    /// <summary>Open runs of a dataset that started more than <paramref name="within"/> ago and have no stuck alert of the policy yet.</summary>
    public async Task<IReadOnlyList<OverdueRun>> OverdueAsync(string dataset, TimeSpan within, Guid policyId, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT r.run_id, r.dataset, r.execution_date, r.started_at, now() FROM alerting.runs r
            WHERE r.dataset = $1 AND r.ended_at IS NULL AND r.started_at < now() - $2::interval
              AND NOT EXISTS (SELECT 1 FROM alerting.alerts a WHERE a.run_id = r.run_id AND a.policy_id = $3 AND a.trigger = 'stuck')
            ORDER BY r.started_at
            LIMIT $4
            """);
        command.Add(dataset).Add(within).Add(policyId).Add(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<OverdueRun>();
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(new OverdueRun(reader.GetGuid(0), reader.GetString(1), reader.NullableDate(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return runs;
    }

    /// <summary>Open runs (of any dataset) that started more than <paramref name="deadline"/> ago.</summary>
    public async Task<IReadOnlyList<OverdueRun>> PastDeadlineAsync(TimeSpan deadline, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT run_id, dataset, execution_date, started_at, now() FROM alerting.runs
            WHERE ended_at IS NULL AND started_at < now() - $1::interval
            ORDER BY started_at
            LIMIT $2
            """);
        command.Add(deadline).Add(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<OverdueRun>();
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(new OverdueRun(reader.GetGuid(0), reader.GetString(1), reader.NullableDate(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return runs;
    }

    /// <summary>Whether the run is known to have completed (a completion wins over any failure).</summary>
    public async Task<bool> IsCompletedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT 1 FROM alerting.runs WHERE run_id = $1 AND outcome = 'completed'");
        command.Add(runId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task MarkStuckAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE alerting.runs SET stuck_at = COALESCE(stuck_at, now()), updated_at = now() WHERE run_id = $1");
        command.Add(runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StuckRunView>> ListStuckAsync(string? dataset, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT run_id, dataset, execution_date, started_at, stuck_at, ended_at, COALESCE(outcome, 'running') FROM alerting.runs
            WHERE stuck_at IS NOT NULL AND ($1::text IS NULL OR dataset = $1)
            ORDER BY stuck_at DESC, run_id
            LIMIT $2
            """);
        command.Add(dataset).Add(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<StuckRunView>();
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(new StuckRunView(reader.GetGuid(0), reader.GetString(1), reader.NullableDate(2), reader.NullableTime(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.NullableTime(5), reader.GetString(6)));
        return runs;
    }
}
