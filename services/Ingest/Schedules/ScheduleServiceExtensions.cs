using Microsoft.Extensions.Options;

namespace Vigil.Ingest.Schedules;

public static class ScheduleServiceExtensions
{
    /// <summary>The scheduler (scheduled pulls and retraining, backfills) and the Scoring client it starts trainings with.</summary>
    public static IHostApplicationBuilder AddSchedules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>()
            .BindConfiguration(ScheduleOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.LeaseDuration > o.PollInterval, "Ingest:Schedules:PollInterval must be positive and shorter than LeaseDuration.")
            .Validate(o => o.MaxBackfillIntervals > 0, "Ingest:Schedules:MaxBackfillIntervals must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ScheduleStore>();
        builder.Services.AddSingleton<ScheduledDatasets>();
        builder.Services.AddSingleton<RetrainClient>();
        builder.Services.AddSingleton<TickRunner>();
        builder.Services.AddHostedService<Scheduler>();
        var scoring = builder.Configuration["services:scoring:http:0"];
        builder.Services.AddHttpClient(RetrainClient.HttpClientName, (services, http) =>
        {
            if (scoring is not null) http.BaseAddress = new Uri(scoring);
            http.Timeout = services.GetRequiredService<IOptions<ScheduleOptions>>().Value.TrainTimeout;
        });
        return builder;
    }
}
