using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Channels;

/// <summary>
/// A Slack-compatible incoming-webhook body: <c>text</c> (the notification fallback) and Block Kit <c>blocks</c> with
/// the conditions, the run summary, the top anomalies with their top features and links to the reports.
/// </summary>
public static class SlackPayload
{
    public const string ContentType = "application/json";

    // Block Kit limits: header text 150 characters, section text 3000, field text 2000.
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;
    private const int FieldLimit = 2000;

    public static string Render(AlertMessage alert)
    {
        var run = alert.Run;
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Truncate(AlertText.Title(alert), HeaderLimit)) },
            Section(ConditionsText(alert)),
        };

        var fields = new JsonArray
        {
            Field("Dataset", Escape(run.Dataset)),
            Field("Execution date", run.ExecutionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "n/a"),
            Field("DQ score", AlertText.Number(run.DqScore)),
            Field("Decisions", AlertText.Decisions(run)),
            Field("Records", AlertText.Records(run)),
            Field("Scored on", Escape(run.Device)),
        };
        blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });

        if (run.Failure is { } failure)
            blocks.Add(Section($"*Failed in {Escape(failure.Stage)}:* {Escape(failure.Reason)}"));
        if (run.TopAnomalies.Count > 0)
        {
            var text = new StringBuilder("*Top anomalies*");
            foreach (var (anomaly, i) in run.TopAnomalies.Select((a, i) => (a, i + 1)))
                text.Append(CultureInfo.InvariantCulture, $"\n{i}. `{Escape(AlertText.RecordKey(anomaly))}` risk *{AlertText.Number(anomaly.Risk)}* {Escape(anomaly.Decision)}")
                    .Append(anomaly.TopFeatures.Count > 0 ? $" — {Escape(string.Join(", ", anomaly.TopFeatures))}" : "");
            blocks.Add(Section(text.ToString()));
        }
        if (run.FeatureDrift.Count > 0)
            blocks.Add(Section("*Feature drift (PSI)*\n" + string.Join("\n", run.FeatureDrift.Select(f => $"• {Escape(f.Key)}: {AlertText.Number(f.Value)}"))));

        var context = new List<string>();
        context.AddRange(run.ReportLinks.Select(l => $"<{l.Value}|{Escape(l.Key)} report>"));
        context.Add($"run `{run.RunId}`");
        context.Add($"policy `{Escape(alert.PolicyName)}`");
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(string.Join(" · ", context), FieldLimit) }),
        });

        return new JsonObject { ["text"] = AlertText.Title(alert), ["blocks"] = blocks }.ToJsonString(AlertingJson.Options);
    }

    private static string ConditionsText(AlertMessage alert)
    {
        var text = new StringBuilder("*Conditions*");
        foreach (var condition in alert.Conditions)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n• [{condition.Severity.ToString().ToLowerInvariant()}] {Escape(condition.Detail)}");
            if (AlertText.SuppressedNote(condition) is { } note) text.Append(" _(").Append(note).Append(")_");
        }
        foreach (var condition in alert.SuppressedConditions)
            text.Append(CultureInfo.InvariantCulture, $"\n• _throttled:_ {Escape(condition.Detail)}");
        return text.ToString();
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(Truncate(mrkdwn, SectionLimit)) };

    private static JsonObject Field(string label, string value) => Mrkdwn(Truncate($"*{label}*\n{value}", FieldLimit));

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    /// <summary>Slack's three control characters in mrkdwn text.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Truncate(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
