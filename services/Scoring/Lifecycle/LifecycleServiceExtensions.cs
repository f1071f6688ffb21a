using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vigil.Scoring.Lifecycle;

public static class LifecycleServiceExtensions
{
    /// <summary>The retraining loop: its store, the after-scoring step, and the background retrainer.</summary>
    public static IHostApplicationBuilder AddModelLifecycle(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LifecycleStore>();
        builder.Services.AddSingleton<TrainingBatches>();
        builder.Services.AddSingleton<ModelTraining>();
        builder.Services.AddSingleton<Retrainer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Retrainer>());
        builder.Services.AddSingleton<ModelLifecycle>();
        return builder;
    }
}
