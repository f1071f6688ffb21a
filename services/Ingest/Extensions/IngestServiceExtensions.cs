using Vigil.Contracts;
using Vigil.Ingest.Events;
using Vigil.Ingest.Intake;
using Vigil.Ingest.Outbox;
using Vigil.Ingest.Progress;
using Vigil.Ingest.Schedules;
using Vigil.Ingest.Storage;
using Vigil.ServiceDefaults.Callbacks;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Postgres;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Ingest.Extensions;

public static class IngestServiceExtensions
{
    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .Validate(o => o.MaxBatchBytes > 0, "Ingest:MaxBatchBytes must be positive.")
            .ValidateOnStart();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = null); // enforced per batch by BatchSpooler, with a problem+json answer

        builder.AddVigilPostgres("ingest", typeof(IngestServiceExtensions).Assembly);
        builder.AddVigilRedis();
        builder.AddVigilObjectStore();
        // Ingest's consumers only follow its runs; their failures never fail a run (no stage).
        builder.AddVigilMessaging("ingest", stage: null, bus => bus.AddConsumer<RunProgressConsumer>());

        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxPublisher>();
        builder.Services.AddOptions<RedriveOptions>().BindConfiguration(RedriveOptions.Section);
        builder.Services.AddSingleton<RunProgressStore>();
        builder.Services.AddSingleton<PipelineQueues>();
        builder.Services.AddHostedService<RunRedriver>();
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox");
        builder.Services.AddScoped<BatchIntake>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatasetCopyStore>();
        builder.Services.AddSingleton<DatasetCatalog>();
        builder.Services.AddSingleton<Pulls.PullConnections>();
        builder.Services.AddScoped<Pulls.PullRunner>();
        builder.AddSchedules();
        builder.Services.AddHttpClient(DatasetCatalog.HttpClientName, http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["services:validation:http:0"]
                ?? throw new InvalidOperationException("services:validation:http:0 is not set; Ingest asks Validation which datasets exist."));
            http.Timeout = DatasetCatalog.AskTimeout + TimeSpan.FromSeconds(1); // each ask is bounded by AskTimeout
        });
        builder.AddVigilCallbacks(); // refuses bad callbackUrl values at submission; Lineage sends the callbacks
        builder.AddEventIntake();
        return builder;
    }
}
