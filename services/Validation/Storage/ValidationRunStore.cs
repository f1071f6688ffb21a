using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Validation.Reports;

namespace Vigil.Validation.Storage;

/// <summary>SQL for validation.validation_runs.</summary>
public sealed class ValidationRunStore(NpgsqlDataSource db)
{
    /// <summary>Records (or, for a redelivered run, replaces) the result of validating a run.</summary>
    public async Task SaveAsync(ValidationSummary summary, int? schemaVersion, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO validation.validation_runs (run_id, dataset, dataset_version, execution_date, outcome, row_count, dq_score,
                dimensions, rules, drift, reconciliation, reports, schema_version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (run_id) DO UPDATE SET outcome = EXCLUDED.outcome, row_count = EXCLUDED.row_count, dq_score = EXCLUDED.dq_score,
                dimensions = EXCLUDED.dimensions, rules = EXCLUDED.rules, drift = EXCLUDED.drift, reconciliation = EXCLUDED.reconciliation,
                reports = EXCLUDED.reports, schema_version = EXCLUDED.schema_version, validated_at = now()
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
        await command.ExecuteNonQueryAsync(cancellationToken);
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
