using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Scoring.Events;

public static class EventsServiceExtensions
{
    /// <summary>Scoring of streamed events: options, the rolling statistics in Redis and the event anomaly store.</summary>
    public static IHostApplicationBuilder AddEventScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventScoringOptions>().BindConfiguration(EventScoringOptions.Section)
            .Validate(o => o.ReviewZ > 0 && o.BlockZ >= o.ReviewZ, "Scoring:Events:ReviewZ must be positive and BlockZ at least ReviewZ.")
            .Validate(o => o.MinCount >= 2 && o.MaxTrackedColumns > 0, "Scoring:Events:MinCount must be 2 or more and MaxTrackedColumns positive.")
            .ValidateOnStart();
        builder.AddVigilRedis();
        builder.Services.AddSingleton<EntityStatisticsStore>();
        builder.Services.AddSingleton<EventAnomalyStore>();
        builder.Services.AddSingleton<ActiveModels>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
