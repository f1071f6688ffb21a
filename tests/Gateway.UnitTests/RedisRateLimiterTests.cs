using StackExchange.Redis;
using Vigil.Gateway.Limits;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>The choice made for a Redis outage: requests pass (fail-open), and the outage is logged.</summary>
public sealed class RedisRateLimiterTests
{
    [Fact]
    public async Task Unreachable_redis_lets_requests_through_and_logs_a_warning()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{TestServers.UnusedPort()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.SyncTimeout = 500;
        using var redis = ConnectionMultiplexer.Connect(options);
        var logs = new ListLoggerProvider();
        var limiter = new RedisRateLimiter(redis, new LoggerFactory([logs]).CreateLogger<RedisRateLimiter>());

        var decision = await limiter.TryAcquireAsync("key-1", new TokenBucketSettings { Capacity = 1, RefillPerSecond = 1 }, CancellationToken.None);
        var second = await limiter.TryAcquireAsync("key-1", new TokenBucketSettings { Capacity = 1, RefillPerSecond = 1 }, CancellationToken.None);

        Assert.True(decision.Allowed);
        Assert.True(second.Allowed);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("fail-open", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(30.0, 30)]
    public void Retry_after_is_whole_seconds_rounded_up_and_at_least_one(double seconds, int expected) =>
        Assert.Equal(expected, new RateLimitDecision(false, TimeSpan.FromSeconds(seconds)).RetryAfterSeconds);
}
