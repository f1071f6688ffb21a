using Microsoft.Extensions.Options;
using Vigil.Alerting.Delivery;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Alerting.Throttling;

namespace Vigil.Alerting.Alerts;

/// <summary>
/// From a run's facts to stored alerts: each enabled policy of the dataset is evaluated; when conditions hold, the
/// throttle decides which alert now, and the alert (with one pending delivery per channel) is stored once per
/// (run, policy, trigger). The delivery worker sends it. Safe to run twice on the same run.
/// </summary>
public sealed partial class AlertPipeline(
    PolicyStore policies, AlertStore alerts, AlertThrottle throttle, DeliverySignal signal, IOptions<AlertingOptions> options,
    TimeProvider time, ILogger<AlertPipeline> logger)
{
    /// <summary>Evaluates the dataset's enabled policies against the run; returns how many alerts were stored.</summary>
    public async Task<int> RaiseAsync(RunFacts run, CancellationToken cancellationToken) =>
        await RaiseAsync(run, await policies.EnabledForAsync(run.Dataset, cancellationToken), cancellationToken);

    /// <summary>Evaluates <paramref name="candidates"/> against the run; returns how many alerts were stored (sent or suppressed).</summary>
    public async Task<int> RaiseAsync(RunFacts run, IReadOnlyList<StoredPolicy> candidates, CancellationToken cancellationToken)
    {
        var trigger = AlertTriggers.Of(run.State);
        var stored = 0;
        foreach (var policy in candidates)
        {
            var fired = PolicyEvaluator.Evaluate(policy.Definition, run);
            if (fired.Count == 0 || await alerts.ExistsAsync(run.RunId, policy.Id, trigger, cancellationToken)) continue;

            var window = policy.Definition.ThrottleWindow ?? options.Value.DefaultThrottleWindow;
            var (counted, throttled) = await throttle.DecideAsync(run.RunId, trigger, run.Dataset, policy.Id, window, fired);
            var alert = AlertMessage.Compose(Guid.CreateVersion7(), policy.Id, policy.Definition.Name, run, counted, throttled,
                options.Value.PublicBaseUrl, time.GetUtcNow());
            if (!await alerts.CreateAsync(alert, policy.Definition.Channels, cancellationToken)) continue;

            stored++;
            if (alert.IsSuppressed) LogSuppressed(logger, run.RunId, run.Dataset, policy.Definition.Name, string.Join(", ", throttled));
            else LogRaised(logger, alert.AlertId, run.RunId, run.Dataset, policy.Definition.Name, alert.Severity, string.Join(", ", alert.Conditions.Select(c => c.Kind)));
        }
        if (stored > 0) signal.Notify();
        return stored;
    }

    [LoggerMessage(LogLevel.Information, "Alert {AlertId} ({Severity}) raised for run {RunId} of {Dataset} by policy {Policy}: {Conditions}")]
    private static partial void LogRaised(ILogger logger, Guid alertId, Guid runId, string dataset, string policy, Severity severity, string conditions);

    [LoggerMessage(LogLevel.Information, "Alert for run {RunId} of {Dataset} by policy {Policy} suppressed by throttling: {Conditions}")]
    private static partial void LogSuppressed(ILogger logger, Guid runId, string dataset, string policy, string conditions);
}
