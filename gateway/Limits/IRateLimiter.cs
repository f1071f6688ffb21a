namespace Vigil.Gateway.Limits;

/// <summary>Takes one token from a bucket shared by every gateway replica.</summary>
public interface IRateLimiter
{
    Task<RateLimitDecision> TryAcquireAsync(string bucketId, TokenBucketSettings settings, CancellationToken cancellationToken);
}
