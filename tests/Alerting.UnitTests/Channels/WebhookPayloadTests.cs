using System.Text.Json;
using Vigil.Alerting.Channels;
using Vigil.Alerting.Policies;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Channels;

public sealed class WebhookPayloadTests
{
    [Fact]
    public void Webhook_json_starts_with_a_title_and_carries_conditions_and_the_run_summary()
    {
        using var json = JsonDocument.Parse(WebhookPayload.Render(Alert(suppressedSinceLast: 2)));
        var root = json.RootElement;

        Assert.Equal("title", root.EnumerateObject().First().Name);
        Assert.Equal("[CRITICAL] banking.transactions 2026-11-20: DQ score 71.234 is below 80. (+1 more)", root.GetProperty("title").GetString());
        Assert.Equal("critical", root.GetProperty("severity").GetString());
        Assert.Equal("outcome", root.GetProperty("trigger").GetString());
        Assert.Equal(4, root.GetProperty("suppressedSinceLast").GetInt32());
        var conditions = root.GetProperty("conditions").EnumerateArray().ToList();
        Assert.Equal(["dq_score_below", "block_decision"], conditions.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(2, conditions[0].GetProperty("suppressedSinceLast").GetInt32());

        var run = root.GetProperty("run");
        Assert.Equal(Dataset, run.GetProperty("dataset").GetString());
        Assert.Equal("2026-11-20", run.GetProperty("executionDate").GetString());
        Assert.Equal(71.23, run.GetProperty("dqScore").GetDouble());
        Assert.Equal(3, run.GetProperty("decisions").GetProperty("block").GetInt64());
        Assert.Equal(Gpu, run.GetProperty("device").GetString());
        Assert.Equal(["amount", "amount_vs_entity_mean"], run.GetProperty("topAnomalies")[0].GetProperty("topFeatures").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal($"https://vigil.example.com/api/runs/{RunId}/reports/validation", run.GetProperty("reportLinks").GetProperty("validation").GetString());
    }

    [Fact]
    public void Webhook_json_of_an_alert_reads_back_as_the_same_alert()
    {
        var alert = Alert(throttled: new HashSet<string> { ConditionKinds.BlockDecision });

        var back = JsonSerializer.Deserialize<AlertMessage>(WebhookPayload.Render(alert), AlertingJson.Options)!;

        Assert.Equal(alert.AlertId, back.AlertId);
        Assert.Equal(alert.Conditions, back.Conditions);
        Assert.Equal(alert.SuppressedConditions, back.SuppressedConditions);
        Assert.Equal(alert.Run.Decisions, back.Run.Decisions);
        Assert.Equal(alert.Run.ReportLinks, back.Run.ReportLinks);
    }
}
