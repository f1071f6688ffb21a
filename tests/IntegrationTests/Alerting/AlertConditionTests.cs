using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Validation;

namespace Vigil.IntegrationTests.Alerting;

/// <summary>Each condition, triggered by a real batch through the gateway or by a crafted scored batch on the bus, reaches the real receivers.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class AlertConditionTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task Dq_score_and_rule_failures_of_a_real_batch_reach_webhook_slack_and_email_once_each_with_the_run_summary()
    {
        var dataset = AlertsClient.NewDataset();
        await fixture.RegisterDatasetAsync(dataset, DefectiveBatch.Definition());
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "data-quality",
            throttleWindow = "00:00:00",
            conditions = new object[]
            {
                new { kind = "dq_score_below", threshold = 99.95, severity = "critical" },
                new { kind = "rules_failed", threshold = 5 },
            },
            channels = new object[]
            {
                new { kind = "webhook", url = _hooks.Url($"{dataset}-webhook") },
                new { kind = "slack", url = _hooks.Url($"{dataset}-slack") },
                new { kind = "email", to = new[] { "data-team@example.com" } },
            },
        });

        var runId = (await fixture.Api.SubmitCsvAsync(dataset, DefectiveBatch.Csv())).RunId;
        var run = await fixture.Api.WaitForRunAsync(runId);
        var dqScore = run.Validation!.DqScore!.Value;

        var webhook = Assert.Single(await _hooks.WaitForAsync($"{dataset}-webhook", 1));
        var alert = webhook.Json;
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal(runId, alert.GetProperty("runId").GetGuid());
        Assert.Equal("data-quality", alert.GetProperty("policyName").GetString());
        var conditions = alert.GetProperty("conditions").EnumerateArray().ToList();
        Assert.Equal(["dq_score_below", "rules_failed"], conditions.Select(c => c.GetProperty("kind").GetString()));
        Assert.EndsWith(" is below 99.95.", conditions[0].GetProperty("detail").GetString());
        Assert.Equal("10 rules failed.", conditions[1].GetProperty("detail").GetString());
        var summary = alert.GetProperty("run");
        Assert.Equal(dataset, summary.GetProperty("dataset").GetString());
        Assert.Equal("2026-11-20", summary.GetProperty("executionDate").GetString());
        Assert.Equal(Math.Round(dqScore, 2), summary.GetProperty("dqScore").GetDouble());
        Assert.Equal(10, summary.GetProperty("rulesFailed").GetInt32());
        // The scorer's own counts and device, as the run shows them (the batch carries a few obvious outliers).
        var decisions = summary.GetProperty("decisions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(200, decisions.Values.Sum());
        Assert.Equal(run.DecisionCounts, decisions);
        var device = run.Device!;
        var decisionText = $"approve {decisions["approve"]}, review {decisions["review"]}, block {decisions["block"]}";
        Assert.Equal(device, summary.GetProperty("device").GetString());
        Assert.Equal(AlertsClient.Link(runId, "validation"), summary.GetProperty("reportLinks").GetProperty("validation").GetString());
        Assert.Equal(AlertsClient.Link(runId, "defects"), summary.GetProperty("reportLinks").GetProperty("defects").GetString());
        var alertId = alert.GetProperty("alertId").GetGuid();
        Assert.Equal($"{alertId:n}:webhook", webhook.Headers["Idempotency-Key"]);

        var slack = Assert.Single(await _hooks.WaitForAsync($"{dataset}-slack", 1)).Json;
        var blocks = slack.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(alert.GetProperty("title").GetString(), slack.GetProperty("text").GetString());
        Assert.StartsWith($"[CRITICAL] {dataset} 2026-11-20: DQ score ", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var fields = blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains($"*Decisions*\n{decisionText}", fields);
        Assert.Contains($"*Scored on*\n{device}", fields);
        Assert.Contains($"<{AlertsClient.Link(runId, "defects")}|defects report>", blocks[^1].GetProperty("elements")[0].GetProperty("text").GetString());

        var email = Assert.Single(await AlertingEnvironment.Smtp.WaitForAsync(m => m.Body.Contains(runId.ToString())));
        Assert.Equal(["data-team@example.com"], email.RcptTo);
        Assert.Equal(AlertingEnvironment.From, email.MailFrom);
        Assert.Equal(AlertingEnvironment.SmtpUser, email.AuthenticatedAs);
        Assert.Equal(alertId.ToString(), email.Headers["X-Vigil-Alert-Id"]);
        Assert.Equal(alert.GetProperty("title").GetString(), email.Subject);
        Assert.Contains($"  Dataset:        {dataset}\n", email.Body);
        Assert.Contains("  Rules failed:   10\n", email.Body);
        Assert.Contains($"  Decisions:      {decisionText}\n", email.Body);
        Assert.Contains($"  Scored on:      {device}\n", email.Body);
        Assert.Contains($"  validation: {AlertsClient.Link(runId, "validation")}\n", email.Body);

        var listed = Assert.Single(await _alerts.WaitForAlertsAsync(dataset, a => a.Count == 1 && a[0].GetProperty("status").GetString() == "sent"));
        Assert.Equal(alertId, listed.GetProperty("id").GetGuid());
        Assert.All(listed.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        Assert.Equal(["email", "slack", "webhook"], listed.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("channel").GetString()));
        Assert.Empty(await ListSinceAsync(dataset, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Single(await ListSinceAsync(dataset, DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task Breaking_drift_under_warn_alerts_for_the_drifting_batch_only()
    {
        var dataset = AlertsClient.NewDataset();
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" }, driftPolicy = "warn" });
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "schema",
            conditions = new object[] { new { kind = "breaking_drift", severity = "critical" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });

        var first = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n1,10.5\n2,11.0\n")).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(first)).Status);
        var second = (await fixture.Api.SubmitCsvAsync(dataset, "id,total\n3,10.5\n4,11.0\n", executionDate: "2026-11-21")).RunId;
        await fixture.Api.WaitForRunAsync(second);

        var alert = Assert.Single(await _hooks.WaitForAsync(dataset, 1)).Json;
        Assert.Equal(second, alert.GetProperty("runId").GetGuid());
        var condition = Assert.Single(alert.GetProperty("conditions").EnumerateArray());
        Assert.Equal("breaking_drift", condition.GetProperty("kind").GetString());
        Assert.Contains("'warn'", condition.GetProperty("detail").GetString());
        Assert.True(alert.GetProperty("run").GetProperty("hasBreakingDrift").GetBoolean());
        Assert.Equal("2026-11-21", alert.GetProperty("run").GetProperty("executionDate").GetString());
        // The first run ended before the second was submitted; only the drifting run was alerted.
        Assert.Single(await _alerts.ListAsync(dataset));
    }

    [Fact]
    public async Task A_run_blocked_by_breaking_drift_alerts_run_failed_and_breaking_drift_by_email()
    {
        var dataset = AlertsClient.NewDataset();
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" }, driftPolicy = "block" });
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "failures",
            conditions = new object[] { new { kind = "run_failed", severity = "critical" }, new { kind = "breaking_drift" } },
            channels = new object[] { new { kind = "email", to = new[] { "oncall@example.com", "Data Team <data@example.com>" } } },
        });

        await fixture.Api.WaitForRunAsync((await fixture.Api.SubmitCsvAsync(dataset, "id,amount,currency\n1,10.5,EUR\n2,11.0,USD\n")).RunId);
        var blocked = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n3,ten\n4,eleven\n", executionDate: "2026-11-21")).RunId;
        Assert.Equal("failed", (await fixture.Api.WaitForRunAsync(blocked)).Status);

        var email = Assert.Single(await AlertingEnvironment.Smtp.WaitForAsync(m => m.Body.Contains(blocked.ToString())));
        Assert.Equal(["oncall@example.com", "data@example.com"], email.RcptTo);
        Assert.StartsWith($"[CRITICAL] {dataset} 2026-11-21: The run failed in validate: Breaking schema drift", email.Subject);
        Assert.EndsWith("(+1 more)", email.Subject);
        Assert.Contains("  - [critical] The run failed in validate: Breaking schema drift under policy 'block':", email.Body);
        Assert.Contains("  - [warning] Breaking schema drift blocked the run:", email.Body);
        Assert.Contains("currency", email.Body);
        Assert.Contains("  Status:         failed\n", email.Body);
        Assert.Contains("  Scored on:      not scored\n", email.Body);
        Assert.Contains($"  validation: {AlertsClient.Link(blocked, "validation")}\n", email.Body);
    }

    [Fact]
    public async Task Anomaly_rate_block_decisions_and_feature_drift_of_a_scored_batch_alert_with_top_anomalies_and_the_gpu()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "anomalies",
            conditions = new object[]
            {
                new { kind = "anomaly_rate_above", threshold = 0.05 },
                new { kind = "block_decision", severity = "critical" },
                new { kind = "feature_drift_above", threshold = 0.25 },
                new { kind = "dq_score_below", threshold = 90.0 },
            },
            channels = new object[]
            {
                new { name = "ops", kind = "webhook", url = _hooks.Url($"{dataset}-ops") },
                new { name = "team-slack", kind = "slack", url = _hooks.Url($"{dataset}-slack") },
            },
        });
        var scored = AlertsClient.Scored(dataset);

        await _alerts.PublishAsync(scored);

        var alert = Assert.Single(await _hooks.WaitForAsync($"{dataset}-ops", 1)).Json;
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal(
            ["40 of 500 records are anomalous (8%), above 5%.", "3 records were decided 'block'.", "Feature drift (PSI) above 0.25: amount 0.41, velocity_1h 0.3."],
            alert.GetProperty("conditions").EnumerateArray().Select(c => c.GetProperty("detail").GetString()));
        var run = alert.GetProperty("run");
        Assert.Equal(AlertsClient.Gpu, run.GetProperty("device").GetString());
        Assert.Equal("v7", run.GetProperty("modelVersion").GetString());
        Assert.Equal(93.5, run.GetProperty("dqScore").GetDouble());
        Assert.Equal("""{"approve":460,"review":37,"block":3}""", run.GetProperty("decisions").GetRawText());
        var anomalies = run.GetProperty("topAnomalies").EnumerateArray().ToList();
        Assert.Equal(["t-0042", "t-0301", "t-0017"], anomalies.Select(a => a.GetProperty("key").GetProperty("transaction_id").GetString()));
        Assert.Equal(["amount", "amount_vs_entity_mean"], anomalies[0].GetProperty("topFeatures").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("block", anomalies[0].GetProperty("decision").GetString());
        Assert.Equal(AlertsClient.Link(scored.RunId, "anomalies"), run.GetProperty("reportLinks").GetProperty("anomalies").GetString());
        Assert.Equal(AlertsClient.Link(scored.RunId, "validation"), run.GetProperty("reportLinks").GetProperty("validation").GetString());

        var slack = Assert.Single(await _hooks.WaitForAsync($"{dataset}-slack", 1)).Json;
        var texts = slack.GetProperty("blocks").EnumerateArray().Select(b => b.ToString()).ToList();
        var top = JsonDocument.Parse(Assert.Single(texts, t => t.Contains("Top anomalies"))).RootElement.GetProperty("text").GetProperty("text").GetString();
        Assert.Equal("*Top anomalies*\n1. `transaction_id=t-0042` risk *97.2* block — amount, amount_vs_entity_mean\n"
            + "2. `transaction_id=t-0301` risk *93* block — hour_of_day, amount\n3. `transaction_id=t-0017` risk *88.4* review — velocity_1h", top);
        Assert.Contains(texts, t => t.Contains($"*Scored on*\\n{AlertsClient.Gpu}"));

        var listed = Assert.Single(await _alerts.WaitForAlertsAsync(dataset, a => a.Count == 1 && a[0].GetProperty("status").GetString() == "sent"));
        Assert.Equal(["ops", "team-slack"], listed.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("channel").GetString()));
    }

    private async Task<IReadOnlyList<JsonElement>> ListSinceAsync(string dataset, DateTimeOffset since)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/alerts?dataset={dataset}&since={Uri.EscapeDataString(since.ToString("O"))}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()];
    }
}
