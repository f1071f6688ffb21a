using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Vigil.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Registers a shared <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c>, its
    /// asynchronous calls bounded (<see cref="BoundedRedis"/>), and a readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddVigilRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // asyncTimeout is added as text so that client versions without the setting ignore it instead of failing;
        // RedisCalls bounds every awaited call on top of it.
        var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
        var bound = ((int)RedisCalls.Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) connectionString += ",asyncTimeout=" + bound;
        var options = ConfigurationOptions.Parse(connectionString, ignoreUnknown: true);
        options.AbortOnConnectFail = false; // keep retrying in the background; readiness reports the outage
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
