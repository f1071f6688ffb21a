using Vigil.Alerting.Consumers;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Alerting.Extensions;

public static class AlertingServiceExtensions
{
    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        builder.AddVigilMessaging("alerting", stage: null, bus =>
        {
            bus.AddConsumer<BatchScoredConsumer>();
            bus.AddConsumer<RunFailedConsumer>();
        });
        return builder;
    }
}
