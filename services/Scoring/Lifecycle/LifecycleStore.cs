using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Lifecycle;

/// <summary>SQL of the retraining loop: policies, events, scoring facts, feedback, and the guarded automatic promotion.</summary>
public sealed class LifecycleStore(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<LifecyclePolicy> PolicyAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT policy FROM scoring.model_policies WHERE dataset = $1");
        Add(command, dataset);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<LifecyclePolicy>(json, Json)! : new LifecyclePolicy();
    }

    /// <summary>Replaces the dataset's policy and records the change as an event, together.</summary>
    public async Task SetPolicyAsync(string dataset, LifecyclePolicy policy, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(policy, Json);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO scoring.model_policies (dataset, policy) VALUES ($1, $2::jsonb)
            ON CONFLICT (dataset) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()
            """, connection, transaction))
        {
            Add(upsert, dataset, json);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await InsertEventAsync(connection, transaction, dataset, ModelEventKinds.PolicyChanged, null, null, "policy set through the API", json, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AddEventAsync(string dataset, string kind, int? version, Guid? runId, string reason, object? details, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await InsertEventAsync(connection, null, dataset, kind, version, runId, reason, JsonSerializer.Serialize(details ?? new { }, Json), cancellationToken);
    }

    /// <summary>The dataset's events, newest first.</summary>
    public async Task<IReadOnlyList<ModelEvent>> EventsAsync(string dataset, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT id, dataset, kind, version, run_id, reason, details, at FROM scoring.model_events WHERE dataset = $1 ORDER BY id DESC LIMIT $2");
        Add(command, dataset, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<ModelEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new ModelEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5), JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return events;
    }

    /// <summary>The kind and reason of the newest event about one version, to avoid recording the same verdict twice in a row.</summary>
    public async Task<(string Kind, string Reason)?> LastEventAsync(string dataset, int version, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT kind, reason FROM scoring.model_events WHERE dataset = $1 AND version = $2 ORDER BY id DESC LIMIT 1");
        Add(command, dataset, version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Stores one scoring's facts (a redelivered batch writes the same row again, not twice).</summary>
    public async Task SaveScoringAsync(ScoringFact fact, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO scoring.model_scorings (run_id, model_version, dataset, role, day, row_count, review_count, block_count, latency_ms,
                review_threshold, block_threshold, max_psi)
            VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC')::date, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (run_id, model_version) DO UPDATE SET role = EXCLUDED.role, row_count = EXCLUDED.row_count,
                review_count = EXCLUDED.review_count, block_count = EXCLUDED.block_count, latency_ms = EXCLUDED.latency_ms,
                review_threshold = EXCLUDED.review_threshold, block_threshold = EXCLUDED.block_threshold, max_psi = EXCLUDED.max_psi
            """);
        Add(command, fact.RunId, fact.ModelVersion, fact.Dataset, fact.Role, fact.Rows, fact.Review, fact.Block, fact.LatencyMs,
            fact.ReviewThreshold, fact.BlockThreshold, fact.MaxPsi);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a drift retraining for the dataset unless one was recorded within <paramref name="period"/>: datasets take
    /// turns (an advisory lock until commit), so two batches drifting at once trigger one retraining. The event id, or null.
    /// </summary>
    public async Task<long?> TryClaimRetrainAsync(string dataset, Guid runId, int activeVersion, string reason, object details, TimeSpan period,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('scoring.retrain:' || $1))", connection, transaction))
        {
            Add(turn, dataset);
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var recent = new NpgsqlCommand(
            "SELECT 1 FROM scoring.model_events WHERE dataset = $1 AND kind = $2 AND at > clock_timestamp() - $3 LIMIT 1", connection, transaction))
        {
            Add(recent, dataset, ModelEventKinds.RetrainTriggered, period);
            if (await recent.ExecuteScalarAsync(cancellationToken) is not null) return null;
        }
        var id = await InsertEventAsync(connection, transaction, dataset, ModelEventKinds.RetrainTriggered, activeVersion, runId, reason,
            JsonSerializer.Serialize(details, Json), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Per-run feedback counts of a version: flagged and confirmed, flagged and called false alarms, confirmed but approved.</summary>
    private static string FeedbackOf(string run, string version) => $"""
        SELECT count(*) FILTER (WHERE f.verdict = 'true_anomaly' AND a.row_number IS NOT NULL) AS confirmed,
               count(*) FILTER (WHERE f.verdict = 'false_alarm' AND a.row_number IS NOT NULL) AS false_alarms,
               count(*) FILTER (WHERE f.verdict = 'true_anomaly' AND a.row_number IS NULL) AS missed
        FROM scoring.feedback f
        LEFT JOIN scoring.anomalies a ON a.run_id = f.run_id AND a.model_version = {version} AND a.row_number = f.row_number
        WHERE f.run_id = {run}
        """;

    /// <summary>The batches <paramref name="version"/> shadow-scored, oldest first, with feedback as it and the run's primary version saw it.</summary>
    public async Task<IReadOnlyList<ShadowBatch>> ShadowBatchesAsync(string dataset, int version, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT s.run_id, s.row_count, s.review_count + s.block_count, c.confirmed, c.false_alarms, c.missed, p.confirmed, p.false_alarms, p.missed
            FROM scoring.model_scorings s
            JOIN scoring.model_scorings primary_scoring ON primary_scoring.run_id = s.run_id AND primary_scoring.role = 'primary'
            CROSS JOIN LATERAL ({FeedbackOf("s.run_id", "s.model_version")}) c
            CROSS JOIN LATERAL ({FeedbackOf("s.run_id", "primary_scoring.model_version")}) p
            WHERE s.dataset = $1 AND s.model_version = $2 AND s.role = 'shadow'
            ORDER BY s.scored_at, s.run_id
            """);
        Add(command, dataset, version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batches = new List<ShadowBatch>();
        while (await reader.ReadAsync(cancellationToken))
        {
            batches.Add(new ShadowBatch(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2),
                new FeedbackCounts(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)), new FeedbackCounts(reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8))));
        }
        return batches;
    }

    /// <summary>
    /// Makes <paramref name="version"/> active if it is still under test, archiving the active one, pushing the
    /// activation history and recording the event, all in one transaction under the same per-dataset lock as manual
    /// promotions and rollbacks: of two batches that finish at once, the first promotes and the second finds the version
    /// no longer 'testing' and does nothing. False when the version was not (or no longer) under test.
    /// </summary>
    public async Task<bool> PromoteIfTestingAsync(string dataset, int version, Guid runId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ScoringStore.LockHistoryAsync(connection, transaction, dataset, cancellationToken);
        await using (var status = new NpgsqlCommand("SELECT status FROM scoring.models WHERE dataset = $1 AND version = $2", connection, transaction))
        {
            Add(status, dataset, version);
            if (await status.ExecuteScalarAsync(cancellationToken) is not "testing") return false;
        }
        string[] steps =
        [
            "UPDATE scoring.models SET status = 'archived' WHERE dataset = $1 AND status = 'active' AND version <> $2",
            "UPDATE scoring.models SET status = 'active', promoted_at = now() WHERE dataset = $1 AND version = $2",
            """
            INSERT INTO scoring.model_activations (dataset, position, version)
            SELECT $1, COALESCE(max(position), 0) + 1, $2 FROM scoring.model_activations WHERE dataset = $1
            """,
        ];
        foreach (var step in steps)
        {
            await using var command = new NpgsqlCommand(step, connection, transaction);
            Add(command, dataset, version);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await InsertEventAsync(connection, transaction, dataset, ModelEventKinds.Promoted, version, runId, reason, "{}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The daily performance table of a dataset between two days (inclusive), by day and model version.</summary>
    public async Task<IReadOnlyList<DailyPerformance>> PerformanceAsync(string dataset, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT s.day, s.model_version, array_agg(DISTINCT s.role ORDER BY s.role), count(*), sum(s.row_count), sum(s.review_count), sum(s.block_count),
                   sum(f.confirmed), sum(f.false_alarms), sum(f.missed), avg(s.latency_ms), max(s.latency_ms), max(s.review_threshold), max(s.block_threshold)
            FROM scoring.model_scorings s
            CROSS JOIN LATERAL ({FeedbackOf("s.run_id", "s.model_version")}) f
            WHERE s.dataset = $1 AND s.day BETWEEN $2 AND $3
            GROUP BY s.day, s.model_version
            ORDER BY s.day, s.model_version
            """);
        Add(command, dataset, from, to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<DailyPerformance>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var feedback = new FeedbackCounts((long)reader.GetDecimal(7), (long)reader.GetDecimal(8), (long)reader.GetDecimal(9));
            days.Add(new DailyPerformance(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1), reader.GetFieldValue<string[]>(2), reader.GetInt64(3),
                (long)reader.GetDecimal(4), (long)reader.GetDecimal(5), (long)reader.GetDecimal(6), feedback.Confirmed, feedback.FalseAlarms, feedback.Missed,
                Round(feedback.Precision), Round(feedback.Recall), reader.IsDBNull(10) ? null : Math.Round(reader.GetDouble(10), 3),
                reader.IsDBNull(11) ? null : Math.Round(reader.GetDouble(11), 3), reader.GetDouble(12), reader.GetDouble(13)));
        }
        return days;
    }

    /// <summary>The dataset's runs validated since <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> ValidatedRunsSinceAsync(string dataset, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT run_id FROM scoring.batches WHERE dataset = $1 AND seen_at >= $2 ORDER BY seen_at DESC, execution_date DESC LIMIT $3");
        Add(command, dataset, since, limit);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>Zero-based rows of a run that reviewers confirmed as anomalies.</summary>
    public async Task<IReadOnlySet<int>> ConfirmedAnomalyRowsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT row_number FROM scoring.feedback WHERE run_id = $1 AND verdict = 'true_anomaly'");
        Add(command, runId);
        var rows = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((int)reader.GetInt64(0) - 1);
        return rows;
    }

    /// <summary>Records one verdict on the given rows of a run (one-based row numbers with their keys), replacing earlier verdicts on them.</summary>
    public async Task SaveFeedbackAsync(Guid runId, string dataset, string verdict, IReadOnlyList<(long Row, string KeyJson)> rows, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO scoring.feedback (run_id, row_number, dataset, record_key, verdict)
            SELECT $1, row_number, $2, record_key::jsonb, $3 FROM unnest($4::bigint[], $5::text[]) AS given (row_number, record_key)
            ON CONFLICT (run_id, row_number) DO UPDATE SET verdict = EXCLUDED.verdict, record_key = EXCLUDED.record_key, given_at = now()
            """);
        Add(command, runId, dataset, verdict, rows.Select(r => r.Row).ToArray(), rows.Select(r => r.KeyJson).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static async Task<long> InsertEventAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string dataset, string kind, int? version,
        Guid? runId, string reason, string detailsJson, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO scoring.model_events (dataset, kind, version, run_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id",
            connection, transaction);
        Add(insert, dataset, kind, version, runId, reason, detailsJson);
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
    }
}
