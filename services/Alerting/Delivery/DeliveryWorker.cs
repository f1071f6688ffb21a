using Microsoft.Extensions.Options;
using Npgsql;
using Vigil.Alerting.Channels;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;

namespace Vigil.Alerting.Delivery;

/// <summary>
/// Sends the pending deliveries: renders the alert for its channel, sends it, and records the result. A failed
/// attempt is retried with exponential backoff (the schedule lives in Postgres, so it survives restarts); after the
/// last attempt, or at once when the receiver says it never will accept it, the delivery is dead-lettered.
/// </summary>
public sealed partial class DeliveryWorker(
    AlertStore alerts, WebhookSender webhooks, SmtpSender smtp, DeliverySignal signal, IOptions<AlertingOptions> options, ILogger<DeliveryWorker> logger)
    : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Delivery;
        var lease = settings.Timeout * 2 + TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = settings.PollInterval;
            try
            {
                var due = await alerts.ClaimDueAsync(BatchSize, lease, stoppingToken);
                await Task.WhenAll(due.Select(d => DeliverAsync(d, settings, stoppingToken)));
                if (due.Count == BatchSize) continue;
                if (await alerts.NextDueInAsync(stoppingToken) is { } next && next < wait) wait = next;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogStoreUnavailable(logger, e);
            }
            await signal.WaitAsync(wait, stoppingToken);
        }
    }

    private async Task DeliverAsync(DueDelivery delivery, DeliveryOptions settings, CancellationToken cancellationToken)
    {
        string target, payload;
        DeliveryOutcome outcome;
        try
        {
            (target, payload, outcome) = await SendAsync(delivery, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A delivery that cannot even be attempted (a bug, a channel that no longer makes sense) must not stop the
            // worker for every other alert: it is recorded as a dead letter with the exception, and logged as an error.
            LogUnexpected(logger, e, delivery.AlertId, delivery.Channel);
            (target, payload, outcome) = (delivery.Definition.Kind.ToString().ToLowerInvariant(), "", DeliveryOutcome.Permanent($"{e.GetType().Name}: {e.Message}"));
        }
        if (outcome.Delivered)
        {
            await alerts.MarkSentAsync(delivery.AlertId, delivery.Channel, cancellationToken);
            LogSent(logger, delivery.AlertId, delivery.Channel, delivery.Alert.RunId, delivery.Attempt);
        }
        else if (outcome.Retryable && delivery.Attempt < settings.MaxAttempts)
        {
            var delay = DeliveryBackoff.Delay(delivery.Attempt, settings.FirstRetryDelay, settings.MaxRetryDelay);
            await alerts.ScheduleRetryAsync(delivery.AlertId, delivery.Channel, delay, outcome.Error!, cancellationToken);
            LogRetrying(logger, delivery.AlertId, delivery.Channel, delivery.Attempt, outcome.Error!, delay);
        }
        else
        {
            await alerts.DeadLetterAsync(delivery, target, payload, outcome.Error!, cancellationToken);
            LogDeadLettered(logger, delivery.AlertId, delivery.Channel, delivery.Attempt, outcome.Error!);
        }
    }

    /// <summary>Renders and sends one delivery; returns where it went and what it sent, for a dead letter.</summary>
    private async Task<(string Target, string Payload, DeliveryOutcome Outcome)> SendAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = delivery.Definition;
        var idempotencyKey = $"{delivery.AlertId:n}:{delivery.Channel}";
        switch (channel.Kind)
        {
            case ChannelKind.Email:
            {
                var email = EmailContent.Render(delivery.Alert);
                var outcome = await smtp.SendAsync(channel.To, email, delivery.AlertId, cancellationToken);
                return (string.Join(", ", channel.To), $"Subject: {email.Subject}\n\n{email.Body}", outcome);
            }
            case ChannelKind.Webhook or ChannelKind.Slack:
            {
                var url = new Uri(channel.Url!);
                var json = channel.Kind == ChannelKind.Slack ? SlackPayload.Render(delivery.Alert) : WebhookPayload.Render(delivery.Alert);
                var outcome = await webhooks.SendAsync(url, json, idempotencyKey, delivery.AlertId, cancellationToken);
                return (Redacted(url), json, outcome);
            }
            default:
                throw new InvalidOperationException($"Channel kind {channel.Kind} has no sender.");
        }
    }

    /// <summary>Webhook addresses often carry their secret in the path (Slack's do): keep only scheme, host and port.</summary>
    private static string Redacted(Uri url) => url.AbsolutePath is "/" or "" ? url.GetLeftPart(UriPartial.Authority) : url.GetLeftPart(UriPartial.Authority) + "/…";

    [LoggerMessage(LogLevel.Information, "Alert {AlertId} sent to {Channel} for run {RunId} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, Guid alertId, string channel, Guid runId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Alert {AlertId} to {Channel} failed attempt {Attempt}: {Error}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Guid alertId, string channel, int attempt, string error, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Alert {AlertId} to {Channel} dead-lettered after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, Guid alertId, string channel, int attempts, string error);

    [LoggerMessage(LogLevel.Error, "Alert {AlertId} to {Channel} could not be attempted")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid alertId, string channel);

    [LoggerMessage(LogLevel.Warning, "The delivery store is unavailable; deliveries wait for the next poll")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}
