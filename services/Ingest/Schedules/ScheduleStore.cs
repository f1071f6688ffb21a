using Npgsql;

namespace Vigil.Ingest.Schedules;

/// <summary>SQL for the scheduler: the lease, each schedule's last tick, and what each tick came to.</summary>
public sealed class ScheduleStore(NpgsqlDataSource db)
{
    private const string RunColumns = "id, dataset, kind, tick, execution_date, trigger, outcome, run_id, model_version, reason, superseded_by, started_at, finished_at";

    /// <summary>Takes or renews the single scheduler lease; true while <paramref name="holder"/> holds it.</summary>
    public async Task<bool> HoldLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO ingest.scheduler_lease (id, holder, expires_at) VALUES (1, $1, now() + $2)
            ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
            WHERE ingest.scheduler_lease.holder = EXCLUDED.holder OR ingest.scheduler_lease.expires_at < now()
            RETURNING holder
            """);
        command.Parameters.Add(new() { Value = holder });
        command.Parameters.Add(new() { Value = duration });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Lets the lease go at shutdown, so another replica takes over at once.</summary>
    public async Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("DELETE FROM ingest.scheduler_lease WHERE holder = $1");
        command.Parameters.Add(new() { Value = holder });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The last tick each of the dataset's schedules acted on, by kind.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> LastTicksAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT kind, last_tick FROM ingest.schedule_state WHERE dataset = $1");
        command.Parameters.Add(new() { Value = dataset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ticks = new Dictionary<string, DateTimeOffset>();
        while (await reader.ReadAsync(cancellationToken)) ticks[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        return ticks;
    }

    /// <summary>Starts following a schedule from <paramref name="from"/>: ticks before it are not run (backfill them).</summary>
    public async Task StartAsync(string dataset, string kind, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("INSERT INTO ingest.schedule_state (dataset, kind, last_tick) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = from });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves the schedule's last tick forward to <paramref name="tick"/>; false when it already is there (the tick was taken).</summary>
    public async Task<bool> TryClaimAsync(string dataset, string kind, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE ingest.schedule_state SET last_tick = $3 WHERE dataset = $1 AND kind = $2 AND last_tick < $3");
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = tick });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The successful, not superseded record of a tick, if any.</summary>
    public async Task<ScheduleRun?> FindLiveAsync(string dataset, string kind, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {RunColumns} FROM ingest.schedule_runs WHERE dataset = $1 AND kind = $2 AND tick = $3 AND superseded_by IS NULL AND outcome <> 'failed'");
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = tick });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Records a tick's outcome; a successful one supersedes <paramref name="previous"/> in the same transaction.
    /// False when a concurrent run of the same tick recorded first (nothing is written then).
    /// </summary>
    public async Task<bool> RecordAsync(ScheduleRun run, Guid? previous, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (previous is { } old && run.Outcome != ScheduleRun.Failed)
            {
                await using var mark = new NpgsqlCommand("UPDATE ingest.schedule_runs SET superseded_by = $1 WHERE id = $2 AND superseded_by IS NULL", connection, transaction);
                mark.Parameters.Add(new() { Value = run.Id });
                mark.Parameters.Add(new() { Value = old });
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var insert = new NpgsqlCommand($"INSERT INTO ingest.schedule_runs ({RunColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12)", connection, transaction);
            foreach (var value in new object?[] { run.Id, run.Dataset, run.Kind, run.Tick, run.ExecutionDate, run.Trigger, run.Outcome, run.RunId, run.ModelVersion, run.Reason, run.StartedAt, run.FinishedAt })
                insert.Parameters.Add(new() { Value = value ?? DBNull.Value });
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

    /// <summary>The dataset's latest tick records, newest first.</summary>
    public async Task<IReadOnlyList<ScheduleRun>> RecentAsync(string dataset, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {RunColumns} FROM ingest.schedule_runs WHERE dataset = $1 ORDER BY finished_at DESC, tick DESC LIMIT $2");
        command.Parameters.Add(new() { Value = dataset });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<ScheduleRun>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<ScheduleRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new ScheduleRun(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateOnly>(4), reader.GetString(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetGuid(10),
                reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<DateTimeOffset>(12)));
        }
        return runs;
    }
}
