namespace Vigil.Ingest.Events;

public static class EventsServiceExtensions
{
    /// <summary>The streaming event intake: schemas from the dataset catalog, the micro-batcher, the backlog watch.</summary>
    public static IHostApplicationBuilder AddEventIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section)
            .Validate(o => o.MaxBatchSize > 0 && o.MaxDelayMs >= 0, "Ingest:Events:MaxBatchSize must be positive and MaxDelayMs not negative.")
            .Validate(o => o.MaxPendingEvents > 0 && o.MaxConcurrentPublishes > 0, "Ingest:Events:MaxPendingEvents and MaxConcurrentPublishes must be positive.")
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerRequest > 0, "Ingest:Events:MaxBodyBytes and MaxEventsPerRequest must be positive.")
            .Validate(o => o.MaxQueuedBatches >= 0 && o.QueueDepthPollMs > 0 && o.RetryAfterSeconds > 0, "Ingest:Events: MaxQueuedBatches, QueueDepthPollMs and RetryAfterSeconds are out of range.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EventSchemas>();
        builder.Services.AddSingleton<EventIdempotency>();
        builder.Services.AddSingleton<EventBatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventBatcher>());
        builder.Services.AddSingleton<ScoringBacklog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ScoringBacklog>());
        return builder;
    }
}
