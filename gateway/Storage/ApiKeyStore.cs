using Npgsql;
using Vigil.Gateway.Access;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Storage;

/// <summary>API keys in Postgres, table <c>gateway.api_keys</c>.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    private const string Columns = "id, name, secret_hash, scopes, rate_limit_capacity, rate_limit_refill_per_sec, created_at, revoked_at";

    public async Task<StoredApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM gateway.api_keys WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task CreateAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO gateway.api_keys ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new NpgsqlParameter { Value = key.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = key.SecretHash });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Scopes.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RateLimit?.Capacity ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RateLimit?.RefillPerSecond ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = key.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RevokedAt ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM gateway.api_keys ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE gateway.api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = revokedAt });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static StoredApiKey Read(NpgsqlDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        SecretHash: reader.GetFieldValue<byte[]>(2),
        Scopes: reader.GetFieldValue<string[]>(3),
        RateLimit: reader.IsDBNull(4) ? null : new TokenBucketSettings { Capacity = reader.GetInt32(4), RefillPerSecond = reader.GetDouble(5) },
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(6),
        RevokedAt: reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
}
