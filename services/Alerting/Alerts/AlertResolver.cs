using Microsoft.Extensions.Options;
using Vigil.Alerting.Delivery;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;

namespace Vigil.Alerting.Alerts;

/// <summary>
/// When a run that was alerted as failed or stuck completes after all (a stage that gave up and was replayed, a late
/// redelivery, a run the deadline sweeper failed), each policy that told someone gets one <c>resolved</c> alert, sent
/// through the channels the earlier alerts went to. Exactly once per (run, policy): the alert store's unique key.
/// </summary>
public sealed partial class AlertResolver(
    AlertStore alerts, TrackedRunStore runs, DeliverySignal signal, IOptions<AlertingOptions> options, TimeProvider time,
    ILogger<AlertResolver> logger)
{
    /// <summary>Resolves what was alerted about <paramref name="completed"/>; returns how many resolutions were stored.</summary>
    public async Task<int> ResolveAsync(RunFacts completed, CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var open in await alerts.UnresolvedAsync(completed.RunId, cancellationToken))
        {
            var resolution = AlertMessage.Resolution(Guid.CreateVersion7(), open.PolicyId, open.PolicyName, completed, open.Alerts,
                options.Value.PublicBaseUrl, time.GetUtcNow());
            if (!await alerts.CreateAsync(resolution, open.Channels, cancellationToken)) continue;
            stored++;
            LogResolved(logger, resolution.AlertId, completed.RunId, completed.Dataset, open.PolicyName, open.Alerts.Count);
        }
        if (stored > 0) signal.Notify();
        return stored;
    }

    /// <summary>
    /// For an alert just raised about a failed or stuck run: if the run has meanwhile completed (its completion was
    /// handled before this alert existed, so it found nothing to resolve), resolves it now.
    /// </summary>
    public async Task<int> ResolveIfCompletedAsync(Guid runId, string dataset, DateOnly? executionDate, CancellationToken cancellationToken) =>
        await runs.IsCompletedAsync(runId, cancellationToken)
            ? await ResolveAsync(RunFacts.CompletedLater(runId, dataset, executionDate), cancellationToken)
            : 0;

    [LoggerMessage(LogLevel.Information, "Alert {AlertId} resolves {Count} earlier alert(s) of policy {Policy}: run {RunId} of {Dataset} completed after all")]
    private static partial void LogResolved(ILogger logger, Guid alertId, Guid runId, string dataset, string policy, int count);
}
