using Vigil.Gateway.Access;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>API keys every test gateway knows, and the admin key it is configured with.</summary>
internal static class TestKeys
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    // Declared before the keys: static fields initialise in text order.
    private static readonly List<StoredApiKey> Seeded = [];

    public static readonly string AllScopes = Add("all scopes", ApiKeyScopes.All);
    public static readonly string ReadOnly = Add("read only", [ApiKeyScopes.Read]);
    public static readonly string IngestOnly = Add("ingest only", [ApiKeyScopes.Ingest]);

    /// <summary>A store holding the keys above.</summary>
    public static InMemoryApiKeyStore CreateStore()
    {
        var store = new InMemoryApiKeyStore();
        foreach (var key in Seeded) store.CreateAsync(key, CancellationToken.None).GetAwaiter().GetResult();
        return store;
    }

    /// <summary>Creates a key in <paramref name="store"/> and returns its full text.</summary>
    public static string Create(InMemoryApiKeyStore store, IReadOnlyList<string> scopes, TokenBucketSettings? rateLimit = null)
    {
        var (id, secret, key) = ApiKeyFormat.Generate();
        store.CreateAsync(new StoredApiKey(id, "test", ApiKeyFormat.Hash(id, secret), scopes, rateLimit, DateTimeOffset.UtcNow, null), CancellationToken.None)
            .GetAwaiter().GetResult();
        return key;
    }

    private static string Add(string name, IReadOnlyList<string> scopes)
    {
        var (id, secret, key) = ApiKeyFormat.Generate();
        Seeded.Add(new StoredApiKey(id, name, ApiKeyFormat.Hash(id, secret), scopes, null, DateTimeOffset.UtcNow, null));
        return key;
    }
}
