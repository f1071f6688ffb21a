using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.Storage;

/// <summary>
/// SQL for the run read model. A run's status follows its stages' outcomes: each stage keeps its latest outcome (a
/// success after a failure of the same stage replaces it, an older event arriving late does not); the run is
/// completed once its last stage completed it (that wins over any earlier failure), failed while a stage's latest
/// outcome is a failure, running otherwise. Redelivered or reordered events leave the same result. The OpenLineage events a message implies
/// are written in the same transaction (<see cref="LineageStore"/>).
/// </summary>
public sealed class RunTimelineStore(NpgsqlDataSource db)
{
    private const string UpsertRun = """
        INSERT INTO lineage.runs (run_id, dataset, execution_date, status, failed_stage, failure_reason, object_key, size_bytes,
                                  row_count, anomaly_count, device, model_version, reports, started_at, completed_at,
                                  dq_score, dq_dimensions, rules_failed, rules_checked, drift, reconciliation, dataset_version,
                                  source_object_key, decision_counts)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
        ON CONFLICT (run_id) DO UPDATE SET
            execution_date = COALESCE(EXCLUDED.execution_date, runs.execution_date),
            status = CASE WHEN runs.status = 'completed' OR EXCLUDED.status = 'completed' THEN 'completed'
                          WHEN EXCLUDED.status = 'failed' THEN 'failed'
                          ELSE runs.status END,
            failed_stage = CASE WHEN runs.status = 'completed' OR EXCLUDED.status = 'completed' THEN NULL
                                ELSE COALESCE(runs.failed_stage, EXCLUDED.failed_stage) END,
            failure_reason = CASE WHEN runs.status = 'completed' OR EXCLUDED.status = 'completed' THEN NULL
                                  ELSE COALESCE(runs.failure_reason, EXCLUDED.failure_reason) END,
            object_key = COALESCE(EXCLUDED.object_key, runs.object_key),
            size_bytes = COALESCE(EXCLUDED.size_bytes, runs.size_bytes),
            row_count = COALESCE(EXCLUDED.row_count, runs.row_count),
            anomaly_count = COALESCE(EXCLUDED.anomaly_count, runs.anomaly_count),
            device = COALESCE(EXCLUDED.device, runs.device),
            model_version = COALESCE(EXCLUDED.model_version, runs.model_version),
            reports = runs.reports || EXCLUDED.reports,
            started_at = LEAST(runs.started_at, EXCLUDED.started_at),
            completed_at = GREATEST(runs.completed_at, EXCLUDED.completed_at),
            dq_score = COALESCE(EXCLUDED.dq_score, runs.dq_score),
            dq_dimensions = COALESCE(EXCLUDED.dq_dimensions, runs.dq_dimensions),
            rules_failed = COALESCE(EXCLUDED.rules_failed, runs.rules_failed),
            rules_checked = COALESCE(EXCLUDED.rules_checked, runs.rules_checked),
            drift = COALESCE(EXCLUDED.drift, runs.drift),
            reconciliation = COALESCE(EXCLUDED.reconciliation, runs.reconciliation),
            dataset_version = COALESCE(EXCLUDED.dataset_version, runs.dataset_version),
            source_object_key = COALESCE(EXCLUDED.source_object_key, runs.source_object_key),
            decision_counts = COALESCE(EXCLUDED.decision_counts, runs.decision_counts),
            updated_at = now()
        """;

    private const string UpsertStage = """
        INSERT INTO lineage.run_stages (run_id, stage, status, started_at, completed_at, rows, peak_memory_bytes, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (run_id, stage) DO UPDATE SET
            status = EXCLUDED.status, started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
            rows = EXCLUDED.rows, peak_memory_bytes = EXCLUDED.peak_memory_bytes, detail = EXCLUDED.detail
        WHERE run_stages.completed_at <= EXCLUDED.completed_at
        """;

    /// <summary>
    /// A failed run whose failed stages have all since succeeded (a redelivered or replayed message went through) is
    /// running again, until its last stage completes it.
    /// </summary>
    private const string ReopenRecovered = """
        UPDATE lineage.runs SET status = 'running', failed_stage = NULL, failure_reason = NULL, completed_at = NULL, updated_at = now()
        WHERE run_id = $1 AND status = 'failed'
          AND NOT EXISTS (SELECT 1 FROM lineage.run_stages WHERE run_id = $1 AND status = 'failed')
        """;

    private const string RunColumns = """
        run_id, dataset, execution_date, status, failed_stage, failure_reason, started_at, completed_at, object_key,
        size_bytes, row_count, anomaly_count, device, model_version, reports,
        dq_score, dq_dimensions, rules_failed, rules_checked, drift, reconciliation, dataset_version,
        source_object_key, decision_counts
        """;

    private const string RunListFilter = """
        WHERE ($1::text IS NULL OR dataset = $1) AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR started_at >= $3) AND ($4::timestamptz IS NULL OR started_at < $4)
        """;

    /// <summary>A run's day on the history axis: its execution date (every batch has one; a run known only from a failure falls back to its start).</summary>
    private const string HistoryDay = "COALESCE(execution_date, (started_at AT TIME ZONE 'UTC')::date)";

    /// <summary>
    /// Records what a message says about the run, then the OpenLineage events <paramref name="lineage"/> derives from
    /// it given what is known of the run by then. The run's row is upserted first, which locks it until commit: two
    /// messages of one run are recorded one after the other, so the second sees what the first recorded.
    /// </summary>
    public async Task RecordAsync(RunUpdate update, Func<RunLineageContext, LineageRecord> lineage, CancellationToken cancellationToken)
    {
        var terminal = update.Status is RunStatus.Completed or RunStatus.Failed;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var run = new NpgsqlCommand(UpsertRun, connection, transaction))
        {
            Add(run, update.RunId);
            Add(run, update.Dataset);
            Add(run, update.ExecutionDate);
            Add(run, update.Status.ToString().ToLowerInvariant());
            Add(run, update.Status == RunStatus.Failed ? update.Stage.Stage : null);
            Add(run, update.FailureReason);
            Add(run, update.ObjectKey);
            Add(run, update.SizeBytes);
            Add(run, update.RowCount);
            Add(run, update.AnomalyCount);
            Add(run, update.Device);
            Add(run, update.ModelVersion);
            run.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(update.Reports), NpgsqlDbType = NpgsqlDbType.Jsonb });
            Add(run, update.Stage.StartedAt);
            Add(run, terminal ? update.Stage.CompletedAt : null);
            var validation = update.Validation;
            Add(run, validation?.DqScore);
            AddJson(run, validation?.DqDimensions);
            Add(run, validation?.RulesFailed);
            Add(run, validation?.RulesChecked);
            AddJson(run, validation?.Drift);
            AddJson(run, validation?.Reconciliation);
            Add(run, validation?.DatasetVersion);
            Add(run, update.SourceObjectKey);
            AddJson(run, update.DecisionCounts);
            await run.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var stage = new NpgsqlCommand(UpsertStage, connection, transaction))
        {
            Add(stage, update.RunId);
            Add(stage, update.Stage.Stage);
            Add(stage, update.Status == RunStatus.Failed ? "failed" : "completed");
            Add(stage, update.Stage.StartedAt);
            Add(stage, update.Stage.CompletedAt);
            Add(stage, update.Stage.Rows);
            Add(stage, update.Stage.PeakMemoryBytes);
            Add(stage, update.FailureReason ?? update.StageNote);
            await stage.ExecuteNonQueryAsync(cancellationToken);
        }
        if (update.Status != RunStatus.Failed)
        {
            await using var reopen = new NpgsqlCommand(ReopenRecovered, connection, transaction);
            Add(reopen, update.RunId);
            await reopen.ExecuteNonQueryAsync(cancellationToken);
        }

        RunLineageContext context;
        await using (var known = new NpgsqlCommand("SELECT object_key, source_object_key, execution_date, started_at FROM lineage.runs WHERE run_id = $1", connection, transaction))
        {
            Add(known, update.RunId);
            await using var reader = await known.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            context = new RunLineageContext(NullableString(reader, 0), NullableString(reader, 1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateTimeOffset>(3));
        }
        await LineageStore.WriteAsync(connection, transaction, lineage(context), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RunView?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {RunColumns} FROM lineage.runs WHERE run_id = $1");
        Add(command, runId);
        var runs = await ReadRunsAsync(command, cancellationToken);
        return runs.Count == 0 ? null : runs[0] with { Stages = await StagesAsync(runId, runs[0].RowCount, cancellationToken) };
    }

    public async Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        await using var count = db.CreateCommand($"SELECT count(*) FROM lineage.runs {RunListFilter}");
        AddFilter(count, query);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        await using var page = db.CreateCommand($"SELECT {RunColumns} FROM lineage.runs {RunListFilter} ORDER BY started_at DESC, run_id LIMIT $5 OFFSET $6");
        AddFilter(page, query);
        Add(page, query.Limit);
        Add(page, query.Offset);
        return new RunPage(await ReadRunsAsync(page, cancellationToken), query.Limit, query.Offset, total);

        static void AddFilter(NpgsqlCommand command, RunQuery query)
        {
            Add(command, query.Dataset);
            Add(command, query.Status);
            Add(command, query.From?.ToUniversalTime());
            Add(command, query.To?.ToUniversalTime());
        }
    }

    /// <summary>
    /// The dataset's most recent <paramref name="limit"/> runs with execution dates in [<paramref name="from"/>,
    /// <paramref name="to"/>] (inclusive), oldest first; null when the dataset has no runs at all.
    /// </summary>
    public async Task<IReadOnlyList<HistoryPoint>?> HistoryAsync(string dataset, DateOnly? from, DateOnly? to, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT run_id, execution_date, status, dq_score, row_count, anomaly_count, started_at, completed_at FROM (
                SELECT run_id, execution_date, status, dq_score, row_count, anomaly_count, started_at, completed_at, {HistoryDay} AS day
                FROM lineage.runs
                WHERE dataset = $1 AND ($2::date IS NULL OR {HistoryDay} >= $2) AND ($3::date IS NULL OR {HistoryDay} <= $3)
                ORDER BY day DESC, started_at DESC, run_id DESC
                LIMIT $4) recent
            ORDER BY day, started_at, run_id
            """);
        Add(command, dataset);
        Add(command, from);
        Add(command, to);
        Add(command, limit);
        var points = new List<HistoryPoint>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                points.Add(HistoryPoint.Create(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), NullableLong(reader, 4), NullableLong(reader, 5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }
        if (points.Count > 0) return points;

        await using var exists = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM lineage.runs WHERE dataset = $1)");
        Add(exists, dataset);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? points : null;
    }

    private async Task<IReadOnlyList<StageView>> StagesAsync(Guid runId, long? runRows, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT stage, status, started_at, completed_at, rows, peak_memory_bytes, detail FROM lineage.run_stages WHERE run_id = $1 ORDER BY started_at, stage");
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stages = new List<StageView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stages.Add(StageView.Create(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                NullableLong(reader, 4), runRows, NullableLong(reader, 5), NullableString(reader, 6)));
        }
        return stages;
    }

    private static async Task<List<RunView>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = reader.GetString(3);
            var started = reader.GetFieldValue<DateTimeOffset>(6);
            DateTimeOffset? completed = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7);
            runs.Add(new RunView(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2), status,
                status == "failed" ? new RunFailure(NullableString(reader, 4), NullableString(reader, 5)) : null,
                started, completed, completed is { } end ? (end - started).TotalMilliseconds : null,
                NullableString(reader, 8), NullableLong(reader, 9), NullableLong(reader, 10), NullableLong(reader, 11),
                NullableString(reader, 12), NullableString(reader, 13),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(14)) ?? [], [])
            {
                Validation = reader.IsDBNull(21) ? null : new ValidationFacts(
                    reader.IsDBNull(15) ? null : reader.GetDouble(15),
                    FromJson<Dictionary<string, double>>(reader, 16) ?? [],
                    reader.IsDBNull(17) ? 0 : reader.GetInt32(17),
                    reader.IsDBNull(18) ? 0 : reader.GetInt32(18),
                    FromJson<List<string>>(reader, 19) ?? [],
                    FromJson<ReconciliationSummary>(reader, 20),
                    reader.GetInt32(21)),
                SourceObjectKey = NullableString(reader, 22),
                DecisionCounts = FromJson<Dictionary<string, long>>(reader, 23),
            });
        }
        return runs;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static T? FromJson<T>(NpgsqlDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<T>(reader.GetString(ordinal), JsonSerializerOptions.Web);

    private static void AddJson(NpgsqlCommand command, object? value) => command.Parameters.Add(new NpgsqlParameter
    {
        Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value, JsonSerializerOptions.Web),
        NpgsqlDbType = NpgsqlDbType.Jsonb,
    });

    private static void Add(NpgsqlCommand command, object? value) => command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
}
