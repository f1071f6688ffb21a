using StackExchange.Redis;

namespace Vigil.Gateway.Limits;

/// <summary>
/// Token buckets in Redis, so that every gateway replica draws from the same bucket per key. One Lua script refills
/// and takes a token atomically, on Redis' own clock (replica clocks never disagree about a bucket).
/// If Redis cannot be reached the request passes (fail-open): keys are still checked against Postgres, and a cache
/// outage should not stop every pipeline's ingest. The outage is logged and shows in /health.
/// </summary>
public sealed partial class RedisRateLimiter(IConnectionMultiplexer redis, ILogger<RedisRateLimiter> logger) : IRateLimiter
{
    private const string KeyPrefix = "vigil:gateway:ratelimit:";

    // KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per second. Returns {allowed (0/1), milliseconds until a token}.
    private const string TakeTokenScript = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = capacity
          at = now
        end
        if now > at then
          tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
          at = now
        end
        tokens = math.min(capacity, tokens)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HMSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
        return {allowed, wait}
        """;

    public async Task<RateLimitDecision> TryAcquireAsync(string bucketId, TokenBucketSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                TakeTokenScript,
                [KeyPrefix + bucketId],
                [settings.Capacity, settings.RefillPerSecond]))!;
            return (int)result[0] == 1
                ? RateLimitDecision.Allow
                : new RateLimitDecision(false, TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailOpen(logger, e, bucketId);
            return RateLimitDecision.Allow;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Rate limit not enforced for {Bucket}: Redis is unreachable (fail-open)")]
    private static partial void LogFailOpen(ILogger logger, Exception exception, string bucket);
}
