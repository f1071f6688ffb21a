using System.Text.Json;
using Npgsql;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Storage;

public sealed record AcceptedSchema(int Version, SchemaSnapshot Snapshot, Guid RunId);

/// <summary>SQL for validation.schema_versions: the accepted schema history of each dataset.</summary>
public sealed class SchemaStore(NpgsqlDataSource db)
{
    public async Task<AcceptedSchema?> LatestAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT version, snapshot, run_id FROM validation.schema_versions WHERE dataset = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.Add(new() { Value = dataset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new AcceptedSchema(reader.GetInt32(0), JsonSerializer.Deserialize<SchemaSnapshot>(reader.GetString(1), ValidationJson.Options)!, reader.GetGuid(2));
    }

    /// <summary>
    /// Records <paramref name="snapshot"/> as the dataset's next accepted schema; a redelivered run does not add a
    /// second version. Concurrent batches of one dataset take their turn on a per-dataset advisory lock held until
    /// commit, so each reads the latest version only after the one before has committed: no two compute the same
    /// max(version) + 1.
    /// </summary>
    public async Task<int> AcceptAsync(string dataset, SchemaSnapshot snapshot, Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('validation.schema_versions:' || $1))", connection, transaction))
        {
            turn.Parameters.Add(new() { Value = dataset });
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }
        int version;
        await using (var command = new NpgsqlCommand("""
            WITH existing AS (SELECT version FROM validation.schema_versions WHERE dataset = $1 AND run_id = $3),
            inserted AS (
                INSERT INTO validation.schema_versions (dataset, version, snapshot, run_id)
                SELECT $1, COALESCE((SELECT max(version) FROM validation.schema_versions WHERE dataset = $1), 0) + 1, $2::jsonb, $3
                WHERE NOT EXISTS (SELECT 1 FROM existing)
                RETURNING version)
            SELECT version FROM inserted UNION ALL SELECT version FROM existing
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = dataset });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(snapshot, ValidationJson.Options) });
            command.Parameters.Add(new() { Value = runId });
            version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
