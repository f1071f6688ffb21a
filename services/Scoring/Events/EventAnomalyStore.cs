using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Scoring.Events;

/// <summary>SQL for scored event micro-batches and their anomalies (anomalies bulk-written with binary COPY).</summary>
public sealed class EventAnomalyStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Stores a scored micro-batch and its anomalies in one transaction. False when the micro-batch was stored before
    /// (a redelivered message): nothing is written twice.
    /// </summary>
    public async Task<bool> SaveAsync(EventBatchRecord batch, IReadOnlyList<EventAnomalyRecord> anomalies, CancellationToken cancellationToken,
        IReadOnlyList<EventAnomalyRecord>? everyScore = null)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO scoring.event_batches (batch_id, dataset, event_count, anomaly_count, model_version, first_accepted_at, last_accepted_at, scored_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (batch_id) DO NOTHING
            """, connection, transaction))
        {
            Add(insert, batch.BatchId, batch.Dataset, batch.EventCount, batch.AnomalyCount, batch.ModelVersion, batch.FirstAcceptedAt, batch.LastAcceptedAt, batch.ScoredAt);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        if (anomalies.Count > 0) await CopyAsync(connection, "event_anomalies", batch, anomalies, cancellationToken);
        if (everyScore is { Count: > 0 }) await CopyAsync(connection, "event_scores", batch, everyScore, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, EventBatchRecord batch, IReadOnlyList<EventAnomalyRecord> rows,
        CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"""
            COPY scoring.{table} (batch_id, event_index, dataset, event_key, entity, risk, decision, top_features, z_score, model_version, accepted_at, scored_at)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(batch.BatchId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(row.EventIndex, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(batch.Dataset, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(JsonSerializer.Serialize(row.Key), NpgsqlDbType.Jsonb, cancellationToken);
            if (row.Entity is null) await copy.WriteNullAsync(cancellationToken);
            else await copy.WriteAsync(row.Entity, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Risk, NpgsqlDbType.Double, cancellationToken);
            await copy.WriteAsync(row.Decision, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.TopFeatures.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.ZScore, NpgsqlDbType.Double, cancellationToken);
            await copy.WriteAsync(row.ModelVersion, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(row.AcceptedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(row.ScoredAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Every event's score (kept with <see cref="EventScoringOptions.KeepEveryScore"/>) written after <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<EventAnomalyRecord>> ScoresAsync(string dataset, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT batch_id, event_index, event_key, entity, risk, decision, top_features, z_score, model_version, accepted_at, scored_at, persisted_at
            FROM scoring.event_scores
            WHERE dataset = $1 AND persisted_at > $2
            ORDER BY persisted_at, batch_id, event_index LIMIT $3
            """);
        Add(command, dataset, since, limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>A dataset's anomalies written after <paramref name="since"/>, newest first.</summary>
    public async Task<IReadOnlyList<EventAnomalyRecord>> RecentAsync(string dataset, DateTimeOffset since, string? decision, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT batch_id, event_index, event_key, entity, risk, decision, top_features, z_score, model_version, accepted_at, scored_at, persisted_at
            FROM scoring.event_anomalies
            WHERE dataset = $1 AND persisted_at > $2 AND ($3::text IS NULL OR decision = $3)
            ORDER BY persisted_at DESC, batch_id, event_index LIMIT $4
            """);
        Add(command, dataset, since, decision, limit);
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<EventAnomalyRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<EventAnomalyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new EventAnomalyRecord(reader.GetGuid(0), reader.GetInt32(1),
                JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(2))!, reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetDouble(4), reader.GetString(5), reader.GetFieldValue<string[]>(6), reader.GetDouble(7), reader.GetInt32(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11)));
        }
        return items;
    }

    public async Task<EventStreamStats> StatsAsync(string dataset, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var counts = db.CreateCommand("""
            SELECT count(*), COALESCE(sum(event_count), 0), COALESCE(sum(anomaly_count), 0) FROM scoring.event_batches WHERE dataset = $1 AND persisted_at > $2
            """);
        Add(counts, dataset, since);
        long batches, events, anomalies;
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (batches, events, anomalies) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        // Every event of a micro-batch is given the batch's earliest accept time: an upper bound on its own latency.
        var eventLatency = await PercentilesAsync("""
            SELECT extract(epoch FROM b.persisted_at - b.first_accepted_at)::float8 * 1000 FROM scoring.event_batches b
            CROSS JOIN LATERAL generate_series(1, b.event_count) WHERE b.dataset = $1 AND b.persisted_at > $2
            """, dataset, since, cancellationToken);
        var anomalyLatency = await PercentilesAsync("""
            SELECT extract(epoch FROM persisted_at - accepted_at)::float8 * 1000 FROM scoring.event_anomalies WHERE dataset = $1 AND persisted_at > $2
            """, dataset, since, cancellationToken);
        return new EventStreamStats(batches, events, anomalies, eventLatency, anomalyLatency);
    }

    private async Task<LatencyPercentiles?> PercentilesAsync(string latencies, string dataset, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms), max(ms) FROM ({latencies}) AS latency(ms)
            """);
        Add(command, dataset, since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        var p = reader.GetFieldValue<double[]>(0);
        return new LatencyPercentiles(Math.Round(p[0], 1), Math.Round(p[1], 1), Math.Round(p[2], 1), Math.Round(reader.GetDouble(1), 1));
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
    }
}
