using Npgsql;

namespace Vigil.Lineage.Callbacks;

/// <summary>A callback as the run shows it: where it goes and how its delivery went (never the signing secret).</summary>
public sealed record CallbackView(string Url, string State, int Attempts, int? LastStatusCode, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt);

/// <summary>A callback claimed for one delivery attempt.</summary>
public sealed record DueCallback(Guid RunId, string Dataset, string Url, int Attempt);

/// <summary>
/// SQL for <c>lineage.callbacks</c>. A due callback is claimed by moving its next attempt a lease into the future
/// (FOR UPDATE SKIP LOCKED), so replicas never send the same one at once and a sender that dies mid-way is retried
/// after the lease.
/// </summary>
public sealed class CallbackStore(NpgsqlDataSource db)
{
    /// <summary>How long a claimed delivery is left to its sender before another may try again.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    // Due: the run ended (failed; or completed with validation's summary recorded, or long enough ago that none is coming).
    private const string Claim = """
        UPDATE lineage.callbacks c SET next_attempt_at = now() + $2::interval, attempts = c.attempts + 1
        FROM (SELECT cb.run_id FROM lineage.callbacks cb JOIN lineage.runs r ON r.run_id = cb.run_id
              WHERE cb.state = 'waiting' AND cb.next_attempt_at <= now()
                AND (r.status = 'failed' OR (r.status = 'completed' AND (r.rules_checked IS NOT NULL OR r.completed_at < now() - interval '10 seconds')))
              ORDER BY cb.next_attempt_at LIMIT $1 FOR UPDATE OF cb SKIP LOCKED) due
        WHERE c.run_id = due.run_id
        RETURNING c.run_id, c.dataset, c.url, c.attempts
        """;

    /// <summary>Remembers a run's callback; a redelivered message changes nothing.</summary>
    public async Task RegisterAsync(Guid runId, string dataset, string url, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("INSERT INTO lineage.callbacks (run_id, dataset, url) VALUES ($1, $2, $3) ON CONFLICT (run_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = dataset });
        command.Parameters.Add(new NpgsqlParameter { Value = url });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DueCallback>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(Claim);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = Lease });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<DueCallback>();
        while (await reader.ReadAsync(cancellationToken))
            due.Add(new DueCallback(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        return due;
    }

    /// <summary>Records one attempt: delivered, retry at <paramref name="retryAt"/>, or given up when that is null.</summary>
    public async Task RecordAttemptAsync(Guid runId, bool delivered, int? statusCode, string? error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            UPDATE lineage.callbacks SET
                state = CASE WHEN $2 THEN 'delivered' WHEN $5::timestamptz IS NULL THEN 'gave_up' ELSE 'waiting' END,
                last_status_code = $3, last_error = $4, next_attempt_at = COALESCE($5, next_attempt_at),
                delivered_at = CASE WHEN $2 THEN now() ELSE delivered_at END
            WHERE run_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = delivered });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)retryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CallbackView?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT url, state, attempts, last_status_code, last_error, delivered_at, next_attempt_at FROM lineage.callbacks WHERE run_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var state = reader.GetString(1);
        return new CallbackView(reader.GetString(0), state, reader.GetInt32(2),
            reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            state == "waiting" ? reader.GetFieldValue<DateTimeOffset>(6) : null);
    }
}
