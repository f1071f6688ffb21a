using System.Collections.Concurrent;
using Vigil.Gateway.Access;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>Keys in a dictionary; counts lookups so tests can see the authenticator's cache at work.</summary>
internal sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, StoredApiKey> keys = new();
    private int lookups;

    public int Lookups => lookups;

    public Task<StoredApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref lookups);
        return Task.FromResult(keys.GetValueOrDefault(id));
    }

    public Task CreateAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        if (!keys.TryAdd(key.Id, key)) throw new InvalidOperationException($"Key {key.Id} exists.");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredApiKey>>([.. keys.Values.OrderBy(k => k.CreatedAt)]);

    public Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        if (!keys.TryGetValue(id, out var key)) return Task.FromResult(false);
        keys[id] = key with { RevokedAt = key.RevokedAt ?? revokedAt };
        return Task.FromResult(true);
    }
}
