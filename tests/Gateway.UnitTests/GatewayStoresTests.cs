using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Vigil.Gateway.Extensions;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>How the gateway's stores are wired (nothing is connected: only the registrations are read).</summary>
public sealed class GatewayStoresTests
{
    [Fact]
    public void Redis_outage_degrades_health_but_keeps_the_gateway_ready_while_postgres_outage_does_not()
    {
        var builder = TestServers.CreateBuilder();
        builder.Configuration["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z";
        builder.Configuration["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false";
        builder.AddGatewayStores();
        using var services = builder.Services.BuildServiceProvider();

        var registrations = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Equal(HealthStatus.Degraded, registrations.Single(r => r.Name == "redis").FailureStatus);
        Assert.Equal(HealthStatus.Unhealthy, registrations.Single(r => r.Name == "postgres").FailureStatus);
    }
}
