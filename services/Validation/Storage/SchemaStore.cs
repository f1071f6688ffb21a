using System.Text.Json;
using Npgsql;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Storage;

/// <summary>
/// One entry of a dataset's baseline history. <see cref="Snapshot"/> is null after a reset of a dataset without a
/// registered expected schema (the next batch sets the baseline); <see cref="RunId"/> is null for a reset.
/// </summary>
public sealed record AcceptedSchema(int Version, SchemaSnapshot? Snapshot, Guid? RunId, string Origin, DateTimeOffset AcceptedAt);

/// <summary>Where a baseline came from (validation.schema_versions.origin).</summary>
public static class BaselineOrigins
{
    /// <summary>Recorded by validation itself: a dataset's first batch, a batch refining a declared schema, or a batch under <c>evolve</c>.</summary>
    public const string Batch = "batch";

    /// <summary>A run's schema accepted by a user (POST /api/datasets/{name}/schema/accept).</summary>
    public const string Accepted = "accepted";

    /// <summary>Back to the registered expected schema (POST /api/datasets/{name}/schema/reset).</summary>
    public const string Reset = "reset";
}

/// <summary>SQL for validation.schema_versions: the baseline history of each dataset; the latest entry is the baseline.</summary>
public sealed class SchemaStore(NpgsqlDataSource db)
{
    public async Task<AcceptedSchema?> LatestAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT version, snapshot, run_id, origin, accepted_at FROM validation.schema_versions WHERE dataset = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.Add(new() { Value = dataset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new AcceptedSchema(reader.GetInt32(0),
            reader.IsDBNull(1) ? null : JsonSerializer.Deserialize<SchemaSnapshot>(reader.GetString(1), ValidationJson.Options),
            reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>
    /// Records <paramref name="snapshot"/> of a run's batch as the dataset's next baseline; a redelivered run does not add a
    /// second version. Concurrent batches of one dataset take their turn on a per-dataset advisory lock held until
    /// commit, so each reads the latest version only after the one before has committed: no two compute the same
    /// max(version) + 1.
    /// </summary>
    public Task<int> AcceptAsync(string dataset, SchemaSnapshot snapshot, Guid runId, CancellationToken cancellationToken) =>
        AppendAsync(dataset, snapshot, runId, BaselineOrigins.Batch, cancellationToken);

    /// <summary>
    /// Makes a user's choice the baseline: a run's schema (<see cref="BaselineOrigins.Accepted"/>) or the expected schema
    /// (<see cref="BaselineOrigins.Reset"/>, <paramref name="snapshot"/> null when none is registered). Asking twice in a
    /// row for the same thing leaves one entry.
    /// </summary>
    public Task<int> ChooseAsync(string dataset, SchemaSnapshot? snapshot, Guid? runId, string origin, CancellationToken cancellationToken) =>
        AppendAsync(dataset, snapshot, runId, origin, cancellationToken);

    private async Task<int> AppendAsync(string dataset, SchemaSnapshot? snapshot, Guid? runId, string origin, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('validation.schema_versions:' || $1))", connection, transaction))
        {
            turn.Parameters.Add(new() { Value = dataset });
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }
        // A batch's entry is looked for anywhere in the history (a redelivery); a user's choice only at the top (a repeated request).
        var existingSql = origin == BaselineOrigins.Batch
            ? "SELECT version FROM validation.schema_versions WHERE dataset = $1 AND run_id = $3 AND origin = $4"
            : """
              SELECT version FROM (SELECT version, run_id, origin FROM validation.schema_versions WHERE dataset = $1 ORDER BY version DESC LIMIT 1) top
              WHERE top.origin = $4 AND top.run_id IS NOT DISTINCT FROM $3
              """;
        int version;
        await using (var command = new NpgsqlCommand($"""
            WITH existing AS ({existingSql}),
            inserted AS (
                INSERT INTO validation.schema_versions (dataset, version, snapshot, run_id, origin)
                SELECT $1, COALESCE((SELECT max(version) FROM validation.schema_versions WHERE dataset = $1), 0) + 1, $2::jsonb, $3, $4
                WHERE NOT EXISTS (SELECT 1 FROM existing)
                RETURNING version)
            SELECT version FROM inserted UNION ALL SELECT version FROM existing
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = dataset });
            command.Parameters.Add(new() { Value = snapshot is null ? DBNull.Value : JsonSerializer.Serialize(snapshot, ValidationJson.Options), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = runId is { } id ? id : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = origin });
            version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
