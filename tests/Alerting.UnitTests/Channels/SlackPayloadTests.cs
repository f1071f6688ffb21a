using System.Text.Json;
using Vigil.Alerting.Channels;
using Vigil.Alerting.Policies;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Channels;

public sealed class SlackPayloadTests
{
    [Fact]
    public void Slack_message_has_fallback_text_a_header_and_the_run_in_blocks()
    {
        using var json = JsonDocument.Parse(SlackPayload.Render(Alert(suppressedSinceLast: 1)));
        var root = json.RootElement;
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();

        Assert.StartsWith("[CRITICAL] banking.transactions", root.GetProperty("text").GetString());
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());

        var conditions = blocks[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("• [critical] DQ score 71.234 is below 80.", conditions);
        Assert.Contains("_(1 similar alert was suppressed since the last one.)_", conditions);

        var fields = blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains("*Dataset*\nbanking.transactions", fields);
        Assert.Contains("*Execution date*\n2026-11-20", fields);
        Assert.Contains("*DQ score*\n71.23", fields);
        Assert.Contains("*Decisions*\napprove 960, review 37, block 3", fields);
        Assert.Contains($"*Scored on*\n{Gpu}", fields);
    }

    [Fact]
    public void Slack_message_lists_top_anomalies_with_features_and_links_the_reports()
    {
        var text = JsonDocument.Parse(SlackPayload.Render(Alert())).RootElement.GetProperty("blocks").EnumerateArray()
            .Select(b => b.ToString()).ToList();

        var anomalies = Assert.Single(text, b => b.Contains("*Top anomalies*"));
        Assert.Contains("1. `transaction_id=t-0042` risk *97.3* block — amount, amount_vs_entity_mean", JsonDocument.Parse(anomalies).RootElement.GetProperty("text").GetProperty("text").GetString());
        var context = JsonDocument.Parse(Assert.Single(text, b => b.Contains("\"context\""))).RootElement.GetProperty("elements")[0].GetProperty("text").GetString()!;
        Assert.Contains($"<https://vigil.example.com/api/runs/{RunId}/reports/defects|defects report>", context);
        Assert.Contains("policy `oncall`", context);
    }

    [Fact]
    public void Slack_control_characters_in_values_are_escaped()
    {
        var run = RunFacts.FromFailed(Failed(reason: "column <amount> & <total> differ"));
        var alert = AlertMessage.Compose(Guid.NewGuid(), Guid.NewGuid(), "p", run,
            PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.RunFailed)), run), new HashSet<string>(), "http://x", DateTimeOffset.UnixEpoch);

        var rendered = SlackPayload.Render(alert);

        Assert.Contains("column &lt;amount&gt; &amp; &lt;total&gt; differ", JsonDocument.Parse(rendered).RootElement.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString());
    }
}
