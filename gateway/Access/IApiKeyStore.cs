namespace Vigil.Gateway.Access;

/// <summary>Where API keys live (Postgres, schema <c>gateway</c>, in production).</summary>
public interface IApiKeyStore
{
    Task<StoredApiKey?> FindAsync(string id, CancellationToken cancellationToken);

    Task CreateAsync(StoredApiKey key, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the key revoked (once; a second revocation keeps the first time). False when no such key exists.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}
