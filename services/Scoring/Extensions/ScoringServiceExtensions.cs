using Vigil.Contracts;
using Vigil.Scoring.Consumers;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Scoring.Extensions;

public static class ScoringServiceExtensions
{
    public static IHostApplicationBuilder AddScoringServices(this IHostApplicationBuilder builder)
    {
        builder.AddVigilMessaging("scoring", Stages.Score, bus => bus.AddConsumer<BatchValidatedConsumer>());
        return builder;
    }
}
