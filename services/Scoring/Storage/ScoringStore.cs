using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Scoring.Storage;

/// <summary>SQL for the scoring schema: remembered batches, the model registry, anomalies (bulk-written with binary COPY).</summary>
public sealed class ScoringStore(NpgsqlDataSource db)
{
    public async Task RememberBatchAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO scoring.batches (run_id, dataset, execution_date, object_key, content_type, csv_delimiter, key_columns, defects_key, row_count, columns_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (run_id) DO NOTHING
            """);
        Add(command, batch.RunId, batch.Dataset, batch.ExecutionDate, batch.ObjectKey, batch.ContentType, batch.CsvDelimiter.ToString(),
            batch.KeyColumns.ToArray(), batch.DefectsKey, batch.RowCount, batch.ColumnsKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<BatchRecord?> FindBatchAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT run_id, dataset, execution_date, object_key, content_type, csv_delimiter, key_columns, defects_key, row_count, columns_key FROM scoring.batches WHERE run_id = $1");
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new BatchRecord(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5)[0], reader.GetFieldValue<string[]>(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8))
        { ColumnsKey = reader.IsDBNull(9) ? null : reader.GetString(9) };
    }

    /// <summary>The validated batches of <paramref name="runIds"/> that belong to <paramref name="dataset"/>, in the order asked.</summary>
    public async Task<IReadOnlyList<BatchRecord>> FindBatchesAsync(string dataset, IReadOnlyList<Guid> runIds, CancellationToken cancellationToken)
    {
        var found = new List<BatchRecord>();
        foreach (var runId in runIds)
            if (await FindBatchAsync(runId, cancellationToken) is { } batch && batch.Dataset == dataset) found.Add(batch);
        return found;
    }

    /// <summary>The dataset's <paramref name="count"/> most recently validated batches, newest first.</summary>
    public async Task<IReadOnlyList<BatchRecord>> RecentBatchesAsync(string dataset, int count, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT run_id FROM scoring.batches WHERE dataset = $1 ORDER BY seen_at DESC, execution_date DESC LIMIT $2");
        Add(command, dataset, count);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return await FindBatchesAsync(dataset, ids, cancellationToken);
    }

    public async Task<int> AddModelAsync(string dataset, Func<int, string> artefactKey, JsonElement metrics, IReadOnlyList<Guid> trainedFrom, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockDataset = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('scoring.models:' || $1))", connection, transaction))
        {
            Add(lockDataset, dataset);
            await lockDataset.ExecuteNonQueryAsync(cancellationToken);
        }
        int version;
        await using (var next = new NpgsqlCommand("SELECT COALESCE(max(version), 0) + 1 FROM scoring.models WHERE dataset = $1", connection, transaction))
        {
            Add(next, dataset);
            version = (int)(await next.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO scoring.models (dataset, version, status, artefact_key, metrics, trained_from, trained_from_runs) VALUES ($1, $2, 'testing', $3, $4, $5, $6)",
            connection, transaction))
        {
            Add(insert, dataset, version, artefactKey(version));
            insert.Parameters.Add(new NpgsqlParameter { Value = metrics.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            Add(insert, trainedFrom[0], trainedFrom.ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<IReadOnlyList<ModelRecord>> ModelsAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT dataset, version, status, artefact_key, metrics, trained_from, created_at, promoted_at, trained_from_runs FROM scoring.models WHERE dataset = $1 ORDER BY version DESC");
        Add(command, dataset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var models = new List<ModelRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            models.Add(new ModelRecord(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone(), reader.GetGuid(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<Guid[]>(8)));
        }
        return models;
    }

    /// <summary>Makes <paramref name="version"/> the active model; the previously active one is archived. False when the version does not exist.</summary>
    public async Task<bool> ActivateAsync(string dataset, int version, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockHistoryAsync(connection, transaction, dataset, cancellationToken);
        await using (var archive = new NpgsqlCommand("UPDATE scoring.models SET status = 'archived' WHERE dataset = $1 AND status = 'active' AND version <> $2", connection, transaction))
        {
            Add(archive, dataset, version);
            await archive.ExecuteNonQueryAsync(cancellationToken);
        }
        int changed;
        await using (var activate = new NpgsqlCommand("UPDATE scoring.models SET status = 'active', promoted_at = now() WHERE dataset = $1 AND version = $2", connection, transaction))
        {
            Add(activate, dataset, version);
            changed = await activate.ExecuteNonQueryAsync(cancellationToken);
        }
        if (changed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        // Onto the activation history, unless it is already on top (promoting the active version again).
        await using (var push = new NpgsqlCommand("""
            INSERT INTO scoring.model_activations (dataset, position, version)
            SELECT $1, COALESCE(max(position), 0) + 1, $2 FROM scoring.model_activations WHERE dataset = $1
            HAVING (SELECT version FROM scoring.model_activations WHERE dataset = $1 ORDER BY position DESC LIMIT 1) IS DISTINCT FROM $2
            """, connection, transaction))
        {
            Add(push, dataset, version);
            await push.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Steps back one place in the activation history: the active version is archived and taken off the history, and the
    /// version activated before it becomes active again. Null when there is no earlier version to go back to.
    /// </summary>
    public async Task<int?> RollBackAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockHistoryAsync(connection, transaction, dataset, cancellationToken);
        var history = new List<(int Position, int Version)>();
        await using (var read = new NpgsqlCommand(
            "SELECT position, version FROM scoring.model_activations WHERE dataset = $1 ORDER BY position DESC LIMIT 2", connection, transaction))
        {
            Add(read, dataset);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) history.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }
        if (history.Count < 2) return null;
        var (top, _) = history[0];
        var previous = history[1].Version;
        await using (var pop = new NpgsqlCommand("DELETE FROM scoring.model_activations WHERE dataset = $1 AND position = $2", connection, transaction))
        {
            Add(pop, dataset, top);
            await pop.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var archive = new NpgsqlCommand("UPDATE scoring.models SET status = 'archived' WHERE dataset = $1 AND status = 'active' AND version <> $2", connection, transaction))
        {
            Add(archive, dataset, previous);
            await archive.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var activate = new NpgsqlCommand("UPDATE scoring.models SET status = 'active' WHERE dataset = $1 AND version = $2", connection, transaction))
        {
            Add(activate, dataset, previous);
            await activate.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return previous;
    }

    /// <summary>Replaces the anomalies a model found in a run (a redelivered batch writes the same rows again, not twice).</summary>
    public async Task SaveAnomaliesAsync(Guid runId, int modelVersion, IReadOnlyList<AnomalyRecord> anomalies, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM scoring.anomalies WHERE run_id = $1 AND model_version = $2", connection, transaction))
        {
            Add(clear, runId, modelVersion);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY scoring.anomalies (run_id, model_version, row_number, record_key, risk, decision, top_features) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var anomaly in anomalies)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(modelVersion, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(anomaly.Row, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(JsonSerializer.Serialize(anomaly.Key), NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(anomaly.Risk, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(anomaly.Decision, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(anomaly.TopFeatures.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveScoreAsync(ScoreRecord score, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO scoring.scores (run_id, model_version, role, decision_counts, anomaly_count, feature_drift) VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb)
            ON CONFLICT (run_id, model_version) DO UPDATE SET role = EXCLUDED.role, decision_counts = EXCLUDED.decision_counts,
                anomaly_count = EXCLUDED.anomaly_count, feature_drift = EXCLUDED.feature_drift, scored_at = now()
            """);
        Add(command, score.RunId, score.ModelVersion, score.Role, JsonSerializer.Serialize(score.DecisionCounts), score.AnomalyCount,
            JsonSerializer.Serialize(score.FeatureDrift));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ScoreRecord>> ScoresAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT run_id, model_version, role, decision_counts, anomaly_count, feature_drift FROM scoring.scores WHERE run_id = $1 ORDER BY role, model_version");
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scores = new List<ScoreRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scores.Add(new ScoreRecord(reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(3))!, reader.GetInt64(4),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5))!));
        }
        return scores;
    }

    /// <summary>A run's anomalies found by <paramref name="modelVersion"/>, or by the primary scoring when null.</summary>
    public async Task<(IReadOnlyList<AnomalyRecord> Items, long Total)> AnomaliesAsync(Guid runId, string? decision, int? modelVersion, int limit, int offset, CancellationToken cancellationToken)
    {
        const string filter = """
            WHERE run_id = $1 AND ($2::text IS NULL OR decision = $2)
              AND model_version = COALESCE($3::integer, (SELECT model_version FROM scoring.scores WHERE run_id = $1 AND role = 'primary'))
            """;
        await using var count = db.CreateCommand($"SELECT count(*) FROM scoring.anomalies {filter}");
        Add(count, runId, decision, modelVersion);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        await using var page = db.CreateCommand(
            $"SELECT row_number, model_version, record_key, risk, decision, top_features FROM scoring.anomalies {filter} ORDER BY risk DESC, row_number LIMIT $4 OFFSET $5");
        Add(page, runId, decision, modelVersion, limit, offset);
        await using var reader = await page.ExecuteReaderAsync(cancellationToken);
        var items = new List<AnomalyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AnomalyRecord(reader.GetInt64(0), reader.GetInt32(1), JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(2))!,
                reader.GetDouble(3), reader.GetString(4), reader.GetFieldValue<string[]>(5)));
        }
        return (items, total);
    }

    /// <summary>Promotions and rollbacks of one dataset take turns until commit, so the history never gets two tops.</summary>
    internal static async Task LockHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string dataset, CancellationToken cancellationToken)
    {
        await using var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('scoring.model_activations:' || $1))", connection, transaction);
        Add(turn, dataset);
        await turn.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
    }
}
