using Vigil.Contracts;
using Vigil.Scoring.Consumers;
using Vigil.Scoring.Events;
using Vigil.Scoring.Lifecycle;
using Vigil.Scoring.Models;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Memory;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Postgres;

namespace Vigil.Scoring.Extensions;

public static class ScoringServiceExtensions
{
    public static IHostApplicationBuilder AddScoringServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section)
            .Validate(o => o.ShadowShare is >= 0 and <= 1, "Scoring:ShadowShare must be between 0 and 1.")
            .Validate(o => o.Device is "auto" or "cpu" or "cuda", "Scoring:Device must be auto, cpu or cuda.")
            .Validate(o => o.OnnxRuntime.IntraOpThreads >= 0, "Scoring:OnnxRuntime:IntraOpThreads must be 0 (all cores) or more.")
            .Validate(o => o.OnnxRuntime.EffectiveDetectors.All(d => d is "statistical" or "isolation_forest" or "autoencoder"),
                "Scoring:OnnxRuntime:Detectors may name statistical, isolation_forest and autoencoder only.")
            .Validate(o => o.ModelCache.MaxVersions >= 1, "Scoring:ModelCache:MaxVersions must be 1 or more.")
            .Validate(o => o.ModelCache.IdleLimit > TimeSpan.Zero, "Scoring:ModelCache:IdleLimit must be positive.")
            .ValidateOnStart();
        builder.AddVigilPostgres("scoring", typeof(ScoringServiceExtensions).Assembly);
        builder.AddVigilObjectStore();
        builder.AddIdleMemoryRelease();
        builder.AddVigilMessaging("scoring", Stages.Score, bus =>
        {
            bus.AddConsumer<BatchValidatedConsumer>();
            bus.AddConsumer<EventsAcceptedConsumer>(typeof(EventsAcceptedConsumerDefinition));
        });
        builder.Services.AddSingleton<ScoringStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<BatchLoader>();
        builder.Services.AddSingleton<BatchScorer>();
        builder.Services.AddSingleton<ScoringReportWriter>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScoringOptions>>().Value;
            return new OnnxRuntimeHost(ScoringDevice.Parse(options.Device), options.OnnxRuntime.IntraOpThreads,
                log: services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger<OnnxRuntimeHost>());
        });
        builder.Services.AddSingleton<ScoringEngines>();
        builder.AddEventScoring();
        builder.AddModelLifecycle();
        return builder;
    }
}
