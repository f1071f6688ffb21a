using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.ServiceDefaults.UnitTests.Redis;

/// <summary>Redis out of reach (a loopback port nothing listens on): readiness says so, and commands fail rather than hang.</summary>
public sealed class RedisOutageTests
{
    private static ServiceProvider Services()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("ConnectionStrings:redis", $"127.0.0.1:{ClosedPort()}")]);
        builder.Services.AddHealthChecks();
        builder.AddVigilRedis();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public async Task Readiness_reports_Redis_unreachable()
    {
        await using var services = Services();

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var redis = report.Entries["redis"];
        Assert.Equal(HealthStatus.Unhealthy, redis.Status);
        Assert.Contains("unreachable", redis.Description);
    }

    [Fact]
    public async Task A_command_while_Redis_is_out_of_reach_fails_within_the_call_bound_instead_of_waiting_forever()
    {
        await using var services = Services();
        var database = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(() => database.StringGetAsync("vigil:tests:any").WaitAsync(TimeSpan.FromSeconds(30)));

        // Whichever comes first: the client's own connection failure, or the bound every awaited call has (RedisCalls).
        Assert.True(error is RedisException or TimeoutException, $"Expected a Redis error or the call bound, got {error}");
        Assert.True(clock.Elapsed < RedisCalls.Timeout + TimeSpan.FromSeconds(5), $"The call took {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
