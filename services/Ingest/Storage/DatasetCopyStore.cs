using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Ingest.Storage;

/// <summary>SQL for ingest.dataset_copies: the last definition of each dataset Validation gave Ingest.</summary>
public sealed class DatasetCopyStore(NpgsqlDataSource db)
{
    public async Task<(JsonElement Definition, DateTimeOffset RefreshedAt)?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT definition::text, refreshed_at FROM ingest.dataset_copies WHERE name = $1");
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (JsonDocument.Parse(reader.GetString(0)).RootElement.Clone(), reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task SaveAsync(string name, JsonElement definition, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO ingest.dataset_copies (name, definition) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, refreshed_at = now()
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = definition.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("DELETE FROM ingest.dataset_copies WHERE name = $1");
        command.Parameters.Add(new() { Value = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
