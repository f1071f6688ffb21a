using Vigil.Lineage.Consumers;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Postgres;

namespace Vigil.Lineage.Extensions;

public static class LineageServiceExtensions
{
    public static IHostApplicationBuilder AddLineageServices(this IHostApplicationBuilder builder)
    {
        builder.AddVigilPostgres("lineage", typeof(LineageServiceExtensions).Assembly);
        builder.AddVigilObjectStore();
        builder.AddVigilMessaging("lineage", stage: null, bus =>
        {
            bus.AddConsumer<BatchIngestedConsumer>();
            bus.AddConsumer<BatchValidatedConsumer>();
            bus.AddConsumer<BatchScoredConsumer>();
            bus.AddConsumer<RunFailedConsumer>();
        });
        builder.Services.AddSingleton<RunTimelineStore>();
        return builder;
    }
}
