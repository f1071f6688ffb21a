using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Access;

/// <summary>Who may call the gateway and how often; bound from the <c>Gateway</c> section.</summary>
public sealed record AccessOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Shortest admin key accepted, so that a placeholder like "changeme" fails the start.</summary>
    public const int MinimumAdminKeyLength = 24;

    /// <summary>
    /// Manages API keys (and only that). Never committed: the AppHost generates one per data folder, Kubernetes reads
    /// it from a Secret. Unset means only keys with scope <c>admin</c> may manage keys.
    /// </summary>
    public string? AdminKey { get; init; }

    /// <summary>How long a validated key is remembered; a revocation takes effect on every replica within this time.</summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bucket of every key that has no limit of its own.</summary>
    public TokenBucketSettings RateLimit { get; init; } = new();
}
