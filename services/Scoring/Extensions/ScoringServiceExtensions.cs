using Vigil.Contracts;
using Vigil.Scoring.Consumers;
using Vigil.Scoring.Events;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;
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
            .ValidateOnStart();
        builder.AddVigilPostgres("scoring", typeof(ScoringServiceExtensions).Assembly);
        builder.AddVigilObjectStore();
        builder.AddVigilMessaging("scoring", Stages.Score, bus =>
        {
            bus.AddConsumer<BatchValidatedConsumer>();
            bus.AddConsumer<EventsAcceptedConsumer>(typeof(EventsAcceptedConsumerDefinition));
        });
        builder.Services.AddSingleton<ScoringStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<BatchLoader>();
        builder.AddEventScoring();
        return builder;
    }
}
