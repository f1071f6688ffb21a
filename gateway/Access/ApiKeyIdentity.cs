using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Access;

/// <summary>Who sent the request: an API key, or the configured admin key (<see cref="IsAdminKey"/>).</summary>
public sealed record ApiKeyIdentity(string KeyId, IReadOnlyList<string> Scopes, TokenBucketSettings? RateLimit, bool IsAdminKey = false)
{
    public const string AdminKeyId = "admin-key";

    public static readonly ApiKeyIdentity Admin = new(AdminKeyId, [ApiKeyScopes.Admin], RateLimit: null, IsAdminKey: true);

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}
