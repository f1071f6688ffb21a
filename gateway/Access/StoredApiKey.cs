using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Access;

/// <summary>An API key as stored: everything but the secret, which is kept only as <see cref="SecretHash"/>.</summary>
public sealed record StoredApiKey(
    string Id,
    string Name,
    byte[] SecretHash,
    IReadOnlyList<string> Scopes,
    TokenBucketSettings? RateLimit,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
