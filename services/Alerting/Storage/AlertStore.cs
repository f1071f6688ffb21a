using Npgsql;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Storage;

/// <summary>
/// SQL for alerting.alerts, deliveries and dead_letters. Creating an alert is idempotent per (run, policy, trigger),
/// and its deliveries per (run, policy, channel, trigger), so a redelivered event never sends twice.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource db)
{
    private const string RefreshStatus = """
        UPDATE alerting.alerts a SET status = CASE
            WHEN EXISTS (SELECT 1 FROM alerting.deliveries d WHERE d.alert_id = a.alert_id AND d.status = 'pending') THEN 'pending'
            WHEN EXISTS (SELECT 1 FROM alerting.deliveries d WHERE d.alert_id = a.alert_id AND d.status = 'failed') THEN 'failed'
            ELSE 'sent' END
        WHERE a.alert_id = $1
        """;

    /// <summary>
    /// Deliveries of one alert finish concurrently: each locks the alert first, so the status refresh of the second runs
    /// after the first has committed and sees both deliveries (otherwise both could leave the alert 'pending').
    /// </summary>
    private const string LockAlert = "SELECT 1 FROM alerting.alerts WHERE alert_id = $1 FOR UPDATE";

    public async Task<bool> ExistsAsync(Guid runId, Guid policyId, string trigger, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT 1 FROM alerting.alerts WHERE run_id = $1 AND policy_id = $2 AND trigger = $3");
        command.Add(runId).Add(policyId).Add(trigger);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Stores the alert and, unless it is suppressed, one pending delivery per channel. Returns false when the
    /// alert already existed (another delivery of the same event got there first); nothing is written then.
    /// </summary>
    public async Task<bool> CreateAsync(AlertMessage alert, IReadOnlyList<ChannelDefinition> channels, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO alerting.alerts (alert_id, run_id, dataset, policy_id, policy_name, trigger, severity, status, message, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (run_id, policy_id, trigger) DO NOTHING
            """, connection, transaction))
        {
            insert.Add(alert.AlertId).Add(alert.RunId).Add(alert.Dataset).Add(alert.PolicyId).Add(alert.PolicyName).Add(alert.Trigger)
                .Add(alert.Severity.ToString().ToLowerInvariant()).Add(alert.IsSuppressed ? AlertStatuses.Suppressed : AlertStatuses.Pending)
                .AddJson(alert).Add(alert.CreatedAt);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        if (!alert.IsSuppressed)
        {
            foreach (var channel in channels)
            {
                await using var delivery = new NpgsqlCommand("""
                    INSERT INTO alerting.deliveries (alert_id, channel, run_id, policy_id, trigger, kind, definition, status)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')
                    """, connection, transaction);
                delivery.Add(alert.AlertId).Add(channel.EffectiveName).Add(alert.RunId).Add(alert.PolicyId).Add(alert.Trigger)
                    .Add(channel.Kind.ToString().ToLowerInvariant()).AddJson(channel);
                await delivery.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries: counts the attempt and pushes next_attempt_at out by
    /// <paramref name="lease"/>, so no other worker takes them while this one sends (and they come back if it dies).
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            WITH due AS (
                SELECT alert_id, channel FROM alerting.deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED)
            UPDATE alerting.deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + $2::interval
            FROM due, alerting.alerts a
            WHERE d.alert_id = due.alert_id AND d.channel = due.channel AND a.alert_id = d.alert_id
            RETURNING d.alert_id, d.channel, d.definition, d.attempts, a.message
            """);
        command.Add(limit).Add(lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<DueDelivery>();
        while (await reader.ReadAsync(cancellationToken))
            due.Add(new DueDelivery(reader.GetGuid(0), reader.GetString(1), reader.Json<ChannelDefinition>(2), reader.GetInt32(3), reader.Json<AlertMessage>(4)));
        return due;
    }

    /// <summary>How long until the next pending delivery is due (zero when one is due now), or null when none is pending.</summary>
    public async Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT GREATEST(next_attempt_at - now(), interval '0') FROM alerting.deliveries
            WHERE status = 'pending' ORDER BY next_attempt_at LIMIT 1
            """);
        return await command.ExecuteScalarAsync(cancellationToken) is TimeSpan wait ? wait : null;
    }

    public async Task MarkSentAsync(Guid alertId, string channel, CancellationToken cancellationToken)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(LockAlert, alertId));
        batch.BatchCommands.Add(Command("UPDATE alerting.deliveries SET status = 'sent', sent_at = now(), last_error = NULL WHERE alert_id = $1 AND channel = $2", alertId, channel));
        batch.BatchCommands.Add(Command(RefreshStatus, alertId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ScheduleRetryAsync(Guid alertId, string channel, TimeSpan delay, string error, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "UPDATE alerting.deliveries SET next_attempt_at = now() + $3::interval, last_error = $4 WHERE alert_id = $1 AND channel = $2 AND status = 'pending'");
        command.Add(alertId).Add(channel).Add(delay).Add(error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives up on a delivery: marks it failed and keeps a dead-letter record with the payload it could not deliver.</summary>
    public async Task DeadLetterAsync(DueDelivery delivery, string target, string payload, string error, CancellationToken cancellationToken)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(LockAlert, delivery.AlertId));
        batch.BatchCommands.Add(Command("UPDATE alerting.deliveries SET status = 'failed', last_error = $3 WHERE alert_id = $1 AND channel = $2",
            delivery.AlertId, delivery.Channel, error));
        batch.BatchCommands.Add(Command("""
            INSERT INTO alerting.dead_letters (alert_id, channel, run_id, dataset, kind, target, payload, error, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (alert_id, channel) DO NOTHING
            """, delivery.AlertId, delivery.Channel, delivery.Alert.RunId, delivery.Alert.Dataset,
            delivery.Definition.Kind.ToString().ToLowerInvariant(), target, payload, error, delivery.Attempt));
        batch.BatchCommands.Add(Command(RefreshStatus, delivery.AlertId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The alerts of a run that told someone it failed or was stuck (suppressed ones told no one), by policy, with the
    /// channels their deliveries went to; policies that already sent a resolution are left out.
    /// </summary>
    public async Task<IReadOnlyList<UnresolvedAlerts>> UnresolvedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT a.policy_id, a.policy_name, a.alert_id, a.trigger, a.severity,
                   (SELECT COALESCE(jsonb_agg(d.definition ORDER BY d.channel), '[]'::jsonb) FROM alerting.deliveries d WHERE d.alert_id = a.alert_id)
            FROM alerting.alerts a
            WHERE a.run_id = $1 AND a.status <> 'suppressed'
              AND (a.trigger = 'stuck' OR a.trigger = 'outcome' AND a.message -> 'run' ->> 'status' = 'failed')
              AND NOT EXISTS (SELECT 1 FROM alerting.alerts r WHERE r.run_id = a.run_id AND r.policy_id = a.policy_id AND r.trigger = 'resolved')
            ORDER BY a.policy_id, a.created_at
            """);
        command.Add(runId);
        var rows = new List<(Guid Policy, string Name, ResolvedAlert Alert, ChannelDefinition[] Channels)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetGuid(0), reader.GetString(1),
                    new ResolvedAlert(reader.GetGuid(2), reader.GetString(3), Enum.Parse<Severity>(reader.GetString(4), ignoreCase: true)),
                    reader.Json<ChannelDefinition[]>(5)));
        }
        return [.. rows.GroupBy(r => (r.Policy, r.Name)).Select(g => new UnresolvedAlerts(g.Key.Policy, g.Key.Name, [.. g.Select(r => r.Alert)],
            [.. g.SelectMany(r => r.Channels).DistinctBy(c => c.EffectiveName)]))];
    }

    public async Task<IReadOnlyList<AlertView>> ListAsync(string? dataset, DateTimeOffset? since, string? status, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT alert_id, status, message FROM alerting.alerts
            WHERE ($1::text IS NULL OR dataset = $1) AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::text IS NULL OR status = $3)
            ORDER BY created_at DESC, alert_id DESC
            LIMIT $4
            """);
        command.Add(dataset).Add(since).Add(status).Add(limit);
        return await ReadViewsAsync(command, cancellationToken);
    }

    public async Task<AlertView?> FindAsync(Guid alertId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT alert_id, status, message FROM alerting.alerts WHERE alert_id = $1");
        command.Add(alertId);
        return (await ReadViewsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(string? dataset, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT alert_id, channel, run_id, dataset, kind, target, payload, error, attempts, failed_at FROM alerting.dead_letters
            WHERE ($1::text IS NULL OR dataset = $1) AND ($2::timestamptz IS NULL OR failed_at >= $2)
            ORDER BY failed_at DESC, alert_id, channel
            LIMIT $3
            """);
        command.Add(dataset).Add(since).Add(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var letters = new List<DeadLetterView>();
        while (await reader.ReadAsync(cancellationToken))
            letters.Add(new DeadLetterView(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), ParseKind(reader.GetString(4)),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9)));
        return letters;
    }

    private async Task<IReadOnlyList<AlertView>> ReadViewsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var alerts = new List<(Guid Id, string Status, AlertMessage Message)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) alerts.Add((reader.GetGuid(0), reader.GetString(1), reader.Json<AlertMessage>(2)));
        }
        if (alerts.Count == 0) return [];

        var deliveries = new Dictionary<Guid, List<DeliveryView>>();
        await using (var select = db.CreateCommand(
            "SELECT alert_id, channel, kind, status, attempts, last_error, sent_at FROM alerting.deliveries WHERE alert_id = ANY($1) ORDER BY channel"))
        {
            select.Add(alerts.Select(a => a.Id).ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (!deliveries.TryGetValue(id, out var list)) deliveries[id] = list = [];
                list.Add(new DeliveryView(reader.GetString(1), ParseKind(reader.GetString(2)), reader.GetString(3), reader.GetInt32(4),
                    reader.NullableString(5), reader.NullableTime(6)));
            }
        }
        return [.. alerts.Select(a => new AlertView(a.Id, a.Message.RunId, a.Message.Dataset, a.Message.PolicyId, a.Message.PolicyName, a.Message.Trigger,
            a.Message.Severity, a.Status, a.Message.CreatedAt, a.Message.SuppressedSinceLast, a.Message.Conditions, a.Message.SuppressedConditions,
            deliveries.GetValueOrDefault(a.Id) ?? [], a.Message.Run) { Resolves = a.Message.Resolves })];
    }

    private static ChannelKind ParseKind(string kind) => Enum.Parse<ChannelKind>(kind, ignoreCase: true);

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
