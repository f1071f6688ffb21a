using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Validation.Reports;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Storage;

/// <summary>A run as validation recorded it; <see cref="Schema"/> is null for runs validated before observed schemas were kept.</summary>
public sealed record ValidatedRun(Guid RunId, string Dataset, string Outcome, SchemaSnapshot? Schema);

/// <summary>SQL for validation.validation_runs.</summary>
public sealed class ValidationRunStore(NpgsqlDataSource db)
{
    /// <summary>Records (or, for a redelivered run, replaces) the result of validating a run.</summary>
    public async Task SaveAsync(ValidationSummary summary, int? schemaVersion, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO validation.validation_runs (run_id, dataset, dataset_version, execution_date, outcome, row_count, dq_score,
                dimensions, rules, drift, reconciliation, reports, schema_version, observed_schema)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (run_id) DO UPDATE SET outcome = EXCLUDED.outcome, row_count = EXCLUDED.row_count, dq_score = EXCLUDED.dq_score,
                dimensions = EXCLUDED.dimensions, rules = EXCLUDED.rules, drift = EXCLUDED.drift, reconciliation = EXCLUDED.reconciliation,
                reports = EXCLUDED.reports, schema_version = EXCLUDED.schema_version,
                observed_schema = EXCLUDED.observed_schema, validated_at = now()
            """);
        Add(command, summary.RunId);
        Add(command, summary.Dataset);
        Add(command, summary.DatasetVersion);
        Add(command, summary.ExecutionDate);
        Add(command, summary.Outcome);
        Add(command, summary.RowCount);
        Add(command, summary.Quality.Score);
        AddJson(command, summary.Quality.Dimensions);
        AddJson(command, summary.Rules);
        AddJson(command, summary.Drift);
        AddJson(command, summary.Reconciliation);
        AddJson(command, summary.Reports);
        Add(command, schemaVersion);
        AddJson(command, summary.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The dataset, outcome and observed schema of a run validation has seen (validated or blocked), or null.</summary>
    public async Task<ValidatedRun?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT dataset, outcome, observed_schema FROM validation.validation_runs WHERE run_id = $1");
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ValidatedRun(runId, reader.GetString(0), reader.GetString(1),
            reader.IsDBNull(2) ? null : JsonSerializer.Deserialize<SchemaSnapshot>(reader.GetString(2), ValidationJson.Options));
    }

    /// <summary>Row count of the dataset's latest validated run before this one, for relative row_count rules.</summary>
    public async Task<long?> PreviousRowCountAsync(string dataset, Guid excludingRunId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT row_count FROM validation.validation_runs
            WHERE dataset = $1 AND run_id <> $2 AND outcome = 'validated'
            ORDER BY validated_at DESC LIMIT 1
            """);
        Add(command, dataset);
        Add(command, excludingRunId);
        return await command.ExecuteScalarAsync(cancellationToken) is long count ? count : null;
    }

    private static void Add(NpgsqlCommand command, object? value) => command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });

    private static void AddJson(NpgsqlCommand command, object? value) => command.Parameters.Add(new NpgsqlParameter
    {
        Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value, ValidationJson.Options),
        NpgsqlDbType = NpgsqlDbType.Jsonb,
    });
}
