using System.Collections.Concurrent;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>
/// A bucket that never refills: each key may make <see cref="TokenBucketSettings.Capacity"/> requests, then gets
/// RetryAfter = 1 / RefillPerSecond. Stands in for Redis (whose script the integration tests run for real).
/// </summary>
internal sealed class CountingRateLimiter : IRateLimiter
{
    private readonly ConcurrentDictionary<string, int> taken = new();

    public Task<RateLimitDecision> TryAcquireAsync(string bucketId, TokenBucketSettings settings, CancellationToken cancellationToken)
    {
        var count = taken.AddOrUpdate(bucketId, 1, (_, n) => n + 1);
        return Task.FromResult(count <= settings.Capacity
            ? RateLimitDecision.Allow
            : new RateLimitDecision(false, TimeSpan.FromSeconds(1 / settings.RefillPerSecond)));
    }
}
