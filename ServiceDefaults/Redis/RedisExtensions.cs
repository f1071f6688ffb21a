using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Vigil.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Registers a shared <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c>, its
    /// asynchronous calls bounded (<see cref="BoundedRedis"/>), and a readiness check. The client (StackExchange.Redis 3)
    /// connects in the background and holds commands issued while it is (re)connecting in its backlog, so a service that
    /// starts before Redis answers, or meets a restart, waits for the connection instead of failing; when a connection
    /// attempt fails, the held commands fail at once with the reason, and a Redis that hangs is cut off by the bound.
    /// </summary>
    public static IHostApplicationBuilder AddVigilRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // RedisCalls bounds every awaited call on top of the client's own asyncTimeout.
        var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
        var bound = ((int)RedisCalls.Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) connectionString += ",asyncTimeout=" + bound;
        var options = ConfigurationOptions.Parse(connectionString, ignoreUnknown: true);
        options.AbortOnConnectFail = false; // keep retrying in the background; readiness reports the outage
        options.BacklogPolicy = BacklogPolicy.Default;
        options.ConnectTimeout = (int)RedisCalls.Timeout.TotalMilliseconds;
        options.SyncTimeout = (int)RedisCalls.Timeout.TotalMilliseconds;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => BoundedRedis.Wrap(ConnectionMultiplexer.Connect(options)));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName);
        return builder;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // Not connected: answered at once rather than by a ping that waits in the backlog.
            if (!redis.IsConnected) return HealthCheckResult.Unhealthy("Redis is unreachable (not connected)");
            try
            {
                var latency = await redis.GetDatabase().PingAsync().Bounded();
                return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("Redis is unreachable", e);
            }
        }
    }
}
