using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Vigil.Gateway.Access;

/// <summary>
/// Turns a presented key into an identity. Stored keys (found or not) are remembered for
/// <see cref="AccessOptions.KeyCacheDuration"/> (unknown ids for at most one second), so a flood of requests costs
/// one Postgres read per key per period, and a revocation reaches every replica within that period.
/// </summary>
public sealed class ApiKeyAuthenticator(IApiKeyStore store, IOptions<AccessOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan UnknownKeyCacheDuration = TimeSpan.FromSeconds(1);
    private const int MaxCachedKeys = 10_000;

    private readonly ConcurrentDictionary<string, (StoredApiKey? Key, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);
    private readonly byte[]? adminKeyHash = options.Value.AdminKey is { Length: > 0 } admin ? HashOf(admin.Trim()) : null;

    public bool IsAdminKey(string presented) =>
        adminKeyHash is not null && CryptographicOperations.FixedTimeEquals(HashOf(presented), adminKeyHash);

    /// <summary>The identity of a valid, unrevoked key; null for a malformed, unknown, revoked or wrong key.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        var stored = await FindAsync(id, cancellationToken);
        if (stored is null || stored.RevokedAt is not null || !ApiKeyFormat.Matches(id, secret, stored.SecretHash))
        {
            return null;
        }

        return new ApiKeyIdentity(stored.Id, stored.Scopes, stored.RateLimit);
    }

    /// <summary>Drops a key from this replica's cache (after revoking it here, so it stops at once on this replica).</summary>
    public void Forget(string id) => cache.TryRemove(id, out _);

    private async Task<StoredApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(id, out var entry) && entry.Expires > now)
        {
            return entry.Key;
        }

        var stored = await store.FindAsync(id, cancellationToken);
        if (cache.Count >= MaxCachedKeys)
        {
            cache.Clear(); // crude but bounded: random ids cannot grow the cache without limit
        }

        var lifetime = stored is null ? UnknownKeyCacheDuration : options.Value.KeyCacheDuration;
        cache[id] = (stored, now + lifetime);
        return stored;
    }

    private static byte[] HashOf(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
