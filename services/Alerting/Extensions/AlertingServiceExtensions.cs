using System.Net.Mail;
using Microsoft.Extensions.Options;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Consumers;
using Vigil.Alerting.Delivery;
using Vigil.Alerting.Runs;
using Vigil.Alerting.Storage;
using Vigil.Alerting.Throttling;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.Postgres;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Alerting.Extensions;

public static class AlertingServiceExtensions
{
    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertingOptions>()
            .BindConfiguration(AlertingOptions.Section)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "Alerting:PublicBaseUrl must be an absolute URL.")
            .Validate(o => o.StuckRunScanInterval > TimeSpan.Zero, "Alerting:StuckRunScanInterval must be positive.")
            .Validate(o => o.RunDeadline > TimeSpan.Zero, "Alerting:RunDeadline must be positive.")
            .Validate(o => o.DefaultThrottleWindow >= TimeSpan.Zero, "Alerting:DefaultThrottleWindow must not be negative.")
            .Validate(o => o.Delivery.MaxAttempts >= 1, "Alerting:Delivery:MaxAttempts must be 1 or more.")
            .Validate(o => o.Delivery.FirstRetryDelay > TimeSpan.Zero && o.Delivery.MaxRetryDelay >= o.Delivery.FirstRetryDelay,
                "Alerting:Delivery:FirstRetryDelay must be positive and at most MaxRetryDelay.")
            .Validate(o => o.Delivery.Timeout > TimeSpan.Zero && o.Delivery.PollInterval > TimeSpan.Zero,
                "Alerting:Delivery:Timeout and PollInterval must be positive.")
            .Validate(o => o.Smtp.Port is > 0 and < 65536 && !string.IsNullOrWhiteSpace(o.Smtp.Host), "Alerting:Smtp needs a Host and a Port 1-65535.")
            .Validate(o => MailAddress.TryCreate(o.Smtp.From, out _), "Alerting:Smtp:From must be an e-mail address.")
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(json => AlertingJson.Configure(json.SerializerOptions));

        builder.AddVigilPostgres("alerting", typeof(AlertingServiceExtensions).Assembly);
        builder.AddVigilRedis();
        builder.AddVigilMessaging("alerting", stage: null, bus =>
        {
            bus.AddConsumer<BatchIngestedConsumer>();
            bus.AddConsumer<BatchScoredConsumer>();
            bus.AddConsumer<RunFailedConsumer>();
            bus.AddConsumer<EventAnomaliesDetectedConsumer>();
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PolicyStore>();
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<TrackedRunStore>();
        builder.Services.AddSingleton<AlertThrottle>();
        builder.Services.AddSingleton<AlertPipeline>();
        builder.Services.AddSingleton<AlertResolver>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<SmtpSender>();
        builder.Services.AddHttpClient(WebhookSender.HttpClientName, (services, http) =>
            http.Timeout = services.GetRequiredService<IOptions<AlertingOptions>>().Value.Delivery.Timeout);
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddHostedService<StuckRunSweeper>();
        return builder;
    }
}
