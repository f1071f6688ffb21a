using System.Globalization;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Channels;

/// <summary>The wording every channel shares, so a webhook, a Slack message and an e-mail say the same thing.</summary>
public static class AlertText
{
    /// <summary>"[CRITICAL] banking.transactions 2026-11-20: DQ score 71 is below 80. (+1 more)"</summary>
    public static string Title(AlertMessage alert)
    {
        var first = alert.Conditions.Count > 0 ? alert.Conditions[0].Detail : "all conditions throttled";
        var more = alert.Conditions.Count > 1 ? $" (+{alert.Conditions.Count - 1} more)" : "";
        var date = alert.Run.ExecutionDate is { } d ? " " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
        var label = alert.Trigger == AlertTriggers.Resolved ? "RESOLVED" : alert.Severity.ToString().ToUpperInvariant();
        return $"[{label}] {alert.Dataset}{date}: {first}{more}";
    }

    /// <summary>"2 similar alerts were suppressed since the last one." or null when none were.</summary>
    public static string? SuppressedNote(FiredCondition condition) => condition.SuppressedSinceLast switch
    {
        0 => null,
        1 => "1 similar alert was suppressed since the last one.",
        var n => $"{n} similar alerts were suppressed since the last one.",
    };

    public static string Decisions(RunSummary run) =>
        $"approve {run.Decisions.Approve}, review {run.Decisions.Review}, block {run.Decisions.Block}";

    /// <summary>"transaction_id=t-0020" (key columns in order), or "row 20" when the record has no key.</summary>
    public static string RecordKey(AnomalySummary anomaly) =>
        anomaly.Key.Count == 0 ? $"row {anomaly.Row}" : string.Join(", ", anomaly.Key.Select(k => $"{k.Key}={k.Value ?? "null"}"));

    public static string Anomaly(AnomalySummary anomaly) =>
        $"{RecordKey(anomaly)}: risk {Number(anomaly.Risk)}, {anomaly.Decision}"
        + (anomaly.TopFeatures.Count > 0 ? $", top features: {string.Join(", ", anomaly.TopFeatures)}" : "");

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "n/a";

    public static string Records(RunSummary run) =>
        run.RowCount is { } rows ? $"{rows} (anomalies: {run.AnomalyCount ?? 0})" : "n/a";
}
