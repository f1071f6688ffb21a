using System.Globalization;
using System.Text;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Channels;

/// <summary>An alert e-mail: its subject and plain-text body.</summary>
public sealed record EmailContent(string Subject, string Body)
{
    public static EmailContent Render(AlertMessage alert)
    {
        var run = alert.Run;
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Vigil alert ({alert.Severity.ToString().ToLowerInvariant()}) from policy '{alert.PolicyName}' on {alert.Dataset}.");
        body.AppendLine();
        body.AppendLine("Conditions");
        foreach (var condition in alert.Conditions)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"  - [{condition.Severity.ToString().ToLowerInvariant()}] {condition.Detail}");
            if (AlertText.SuppressedNote(condition) is { } note) body.AppendLine(CultureInfo.InvariantCulture, $"    {note}");
        }
        foreach (var condition in alert.SuppressedConditions)
            body.AppendLine(CultureInfo.InvariantCulture, $"  - (throttled) {condition.Detail}");

        body.AppendLine();
        body.AppendLine("Run");
        Line(body, "Run id", run.RunId.ToString());
        Line(body, "Dataset", run.Dataset);
        Line(body, "Execution date", run.ExecutionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "n/a");
        Line(body, "Status", run.Status);
        Line(body, "DQ score", AlertText.Number(run.DqScore));
        Line(body, "Rules failed", run.RulesFailed.ToString(CultureInfo.InvariantCulture));
        Line(body, "Records", AlertText.Records(run));
        Line(body, "Decisions", AlertText.Decisions(run));
        Line(body, "Scored on", run.Device);
        if (run.ModelVersion is { } model) Line(body, "Model version", model);
        if (run.StartedAt is { } started) Line(body, "Started at", started.ToString("u", CultureInfo.InvariantCulture));
        if (run.Failure is { } failure) Line(body, "Failed in", $"{failure.Stage}: {failure.Reason}");

        if (run.TopAnomalies.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("Top anomalies");
            foreach (var (anomaly, i) in run.TopAnomalies.Select((a, i) => (a, i + 1)))
                body.AppendLine(CultureInfo.InvariantCulture, $"  {i}. {AlertText.Anomaly(anomaly)}");
        }
        if (run.FeatureDrift.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("Feature drift (PSI)");
            foreach (var (feature, psi) in run.FeatureDrift) body.AppendLine(CultureInfo.InvariantCulture, $"  {feature}: {AlertText.Number(psi)}");
        }
        if (run.ReportLinks.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("Reports");
            foreach (var (kind, link) in run.ReportLinks) body.AppendLine(CultureInfo.InvariantCulture, $"  {kind}: {link}");
        }
        return new EmailContent(AlertText.Title(alert), body.ToString());
    }

    private static void Line(StringBuilder body, string label, string value) =>
        body.Append("  ").Append((label + ":").PadRight(16)).AppendLine(value);
}
