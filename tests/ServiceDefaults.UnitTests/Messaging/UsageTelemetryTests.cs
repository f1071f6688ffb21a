using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.ServiceDefaults.UnitTests.Messaging;

public sealed class UsageTelemetryTests
{
    [Fact]
    public void The_bus_never_reports_usage_telemetry_to_MassTransits_host()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/")]);

        builder.AddVigilMessaging("tests", stage: null, _ => { });
        using var services = builder.Services.BuildServiceProvider();

        // MassTransit 8.4+ enables it by default; the options are what its reporter reads before sending anything.
        Assert.False(services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
