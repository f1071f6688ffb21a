using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Contracts;

namespace Vigil.Lineage.Storage;

/// <summary>
/// SQL for the run read model. Updates are upserts that only ever move a run forward (running -> completed/failed,
/// failed wins), so redelivered or reordered events leave the same result.
/// </summary>
public sealed class RunTimelineStore(NpgsqlDataSource db)
{
    private const string UpsertRun = """
        INSERT INTO lineage.runs (run_id, dataset, execution_date, status, failed_stage, failure_reason, object_key, size_bytes,
                                  row_count, anomaly_count, device, model_version, reports, started_at, completed_at,
                                  dq_score, dq_dimensions, rules_failed, rules_checked, drift, reconciliation, dataset_version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
        ON CONFLICT (run_id) DO UPDATE SET
            execution_date = COALESCE(EXCLUDED.execution_date, runs.execution_date),
            status = CASE WHEN runs.status = 'failed' OR EXCLUDED.status = 'failed' THEN 'failed'
                          WHEN runs.status = 'completed' OR EXCLUDED.status = 'completed' THEN 'completed'
                          ELSE 'running' END,
            failed_stage = COALESCE(runs.failed_stage, EXCLUDED.failed_stage),
            failure_reason = COALESCE(runs.failure_reason, EXCLUDED.failure_reason),
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
            updated_at = now()
        """;

    private const string UpsertStage = """
        INSERT INTO lineage.run_stages (run_id, stage, status, started_at, completed_at, rows, peak_memory_bytes, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (run_id, stage) DO UPDATE SET
            status = EXCLUDED.status, started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
            rows = EXCLUDED.rows, peak_memory_bytes = EXCLUDED.peak_memory_bytes, detail = EXCLUDED.detail
        """;

    private const string RunColumns = """
        run_id, dataset, execution_date, status, failed_stage, failure_reason, started_at, completed_at, object_key,
        size_bytes, row_count, anomaly_count, device, model_version, reports,
        dq_score, dq_dimensions, rules_failed, rules_checked, drift, reconciliation, dataset_version
        """;

    public async Task RecordAsync(RunUpdate update, CancellationToken cancellationToken)
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
            Add(stage, update.FailureReason);
            await stage.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RunView?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {RunColumns} FROM lineage.runs WHERE run_id = $1");
        Add(command, runId);
        var runs = await ReadRunsAsync(command, cancellationToken);
        return runs.Count == 0 ? null : runs[0] with { Stages = await StagesAsync(runId, cancellationToken) };
    }

    public async Task<RunPage> ListAsync(string? dataset, string? status, int limit, int offset, CancellationToken cancellationToken)
    {
        const string filter = "WHERE ($1::text IS NULL OR dataset = $1) AND ($2::text IS NULL OR status = $2)";
        await using var count = db.CreateCommand($"SELECT count(*) FROM lineage.runs {filter}");
        Add(count, dataset);
        Add(count, status);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        await using var page = db.CreateCommand($"SELECT {RunColumns} FROM lineage.runs {filter} ORDER BY started_at DESC, run_id LIMIT $3 OFFSET $4");
        Add(page, dataset);
        Add(page, status);
        Add(page, limit);
        Add(page, offset);
        return new RunPage(await ReadRunsAsync(page, cancellationToken), limit, offset, total);
    }

    private async Task<IReadOnlyList<StageView>> StagesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT stage, status, started_at, completed_at, rows, peak_memory_bytes, detail FROM lineage.run_stages WHERE run_id = $1 ORDER BY started_at, stage");
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stages = new List<StageView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var started = reader.GetFieldValue<DateTimeOffset>(2);
            var completed = reader.GetFieldValue<DateTimeOffset>(3);
            var durationMs = (completed - started).TotalMilliseconds;
            long? rows = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            stages.Add(new StageView(reader.GetString(0), reader.GetString(1), started, completed, durationMs, rows,
                rows is { } r && durationMs > 0 ? Math.Round(r / (durationMs / 1000), 1) : null,
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
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
