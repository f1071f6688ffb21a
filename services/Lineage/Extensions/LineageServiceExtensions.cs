using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Lineage.Callbacks;
using Vigil.Lineage.Consumers;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Callbacks;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Postgres;

namespace Vigil.Lineage.Extensions;

public static class LineageServiceExtensions
{
    public static IHostApplicationBuilder AddLineageServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpenLineageOptions>()
            .BindConfiguration(OpenLineageOptions.Section)
            .Validate(o => o.IsValid(out _), $"{OpenLineageOptions.Section}: Namespace must be set, Producer and FacetSchemaBaseUrl must be absolute URIs.")
            .ValidateOnStart();

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
        builder.Services.AddSingleton<LineageStore>();
        builder.Services.AddSingleton<ValidationReports>();
        builder.AddVigilCallbacks();
        builder.Services.AddSingleton<CallbackStore>();
        builder.Services.AddSingleton<CallbackSender>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(CallbackSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(services => CallbackSender.CreateHandler(services.GetRequiredService<CallbackUrlPolicy>()))
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan); // each POST is bounded by Callbacks:RequestTimeout
        builder.Services.AddHostedService<CallbackDispatcher>();
        builder.Services.AddSingleton(services => new OpenLineageMapper(OpenLineageSettings.From(
            services.GetRequiredService<IOptions<OpenLineageOptions>>().Value, services.GetRequiredService<ObjectStoreOptions>().Bucket)));
        return builder;
    }
}
