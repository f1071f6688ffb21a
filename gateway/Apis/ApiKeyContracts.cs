using Vigil.Gateway.Access;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Apis;

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, TokenBucketSettings? RateLimit);

/// <summary>A key as the admin API shows it: never its secret.</summary>
public record ApiKeyView(string Id, string Name, IReadOnlyList<string> Scopes, TokenBucketSettings? RateLimit, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyView From(StoredApiKey key) => new(key.Id, key.Name, key.Scopes, key.RateLimit, key.CreatedAt, key.RevokedAt);
}

/// <summary>The answer to a creation: the only time the full key is shown.</summary>
public sealed record CreatedApiKey(string Id, string Name, IReadOnlyList<string> Scopes, TokenBucketSettings? RateLimit, DateTimeOffset CreatedAt, string Key)
    : ApiKeyView(Id, Name, Scopes, RateLimit, CreatedAt, null);
