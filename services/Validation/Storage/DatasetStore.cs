using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Vigil.Validation.Datasets;

namespace Vigil.Validation.Storage;

/// <summary>A dataset version as stored.</summary>
public sealed record StoredDataset(DatasetDefinition Definition, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>SQL for validation.datasets and validation.dataset_versions.</summary>
public sealed class DatasetStore(NpgsqlDataSource db)
{
    /// <summary>Stores the definition as the next version unless it equals the current one. Returns the version and whether it is new.</summary>
    public async Task<(StoredDataset Dataset, bool Created, bool Changed)> SaveAsync(DatasetDefinition definition, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(definition, ValidationJson.Options);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var ensure = new NpgsqlCommand(
            "INSERT INTO validation.datasets (name, current_version) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", connection, transaction))
        {
            ensure.Parameters.Add(new() { Value = definition.Name });
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        string? currentHash;
        await using (var read = new NpgsqlCommand("""
            SELECT d.current_version, v.definition_hash FROM validation.datasets d
            LEFT JOIN validation.dataset_versions v ON v.name = d.name AND v.version = d.current_version
            WHERE d.name = $1 FOR UPDATE OF d
            """, connection, transaction))
        {
            read.Parameters.Add(new() { Value = definition.Name });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            current = reader.GetInt32(0);
            currentHash = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        if (currentHash == hash)
        {
            await transaction.CommitAsync(cancellationToken);
            return ((await FindAsync(definition.Name, cancellationToken))!, Created: false, Changed: false);
        }

        var version = current + 1;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO validation.dataset_versions (name, version, definition, definition_hash) VALUES ($1, $2, $3::jsonb, $4)", connection, transaction))
        {
            insert.Parameters.Add(new() { Value = definition.Name });
            insert.Parameters.Add(new() { Value = version });
            insert.Parameters.Add(new() { Value = json });
            insert.Parameters.Add(new() { Value = hash });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var advance = new NpgsqlCommand(
            "UPDATE validation.datasets SET current_version = $2, updated_at = now() WHERE name = $1", connection, transaction))
        {
            advance.Parameters.Add(new() { Value = definition.Name });
            advance.Parameters.Add(new() { Value = version });
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ((await FindAsync(definition.Name, cancellationToken))!, Created: current == 0, Changed: true);
    }

    public async Task<StoredDataset?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT v.definition, v.version, d.created_at, d.updated_at FROM validation.datasets d
            JOIN validation.dataset_versions v ON v.name = d.name AND v.version = d.current_version
            WHERE d.name = $1
            """);
        command.Parameters.Add(new() { Value = name });
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<StoredDataset>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT v.definition, v.version, d.created_at, d.updated_at FROM validation.datasets d
            JOIN validation.dataset_versions v ON v.name = d.name AND v.version = d.current_version
            ORDER BY d.name
            """);
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<StoredDataset>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<StoredDataset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var definition = JsonSerializer.Deserialize<DatasetDefinition>(reader.GetString(0), ValidationJson.Options)!;
            found.Add(new StoredDataset(definition, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return found;
    }
}
