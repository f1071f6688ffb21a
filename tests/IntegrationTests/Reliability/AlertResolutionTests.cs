using System.Text.Json;
using Vigil.Contracts;
using Vigil.IntegrationTests.Alerting;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// A run alerted as failed (a stage gave up, or the deadline sweeper failed it) that completes after all, e.g. when its
/// parked message is replayed or redelivered late: the critical alert is followed by exactly one resolution, through
/// the same channels, listed in the alerts API with trigger <c>resolved</c>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class AlertResolutionTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task A_failed_run_that_completes_later_gets_one_resolution_on_every_channel_of_its_failure_alert()
    {
        var dataset = AlertsClient.NewDataset();
        var slackHook = $"{dataset}-slack";
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "oncall",
            throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "run_failed", severity = "critical" } },
            channels = new object[]
            {
                new { kind = "webhook", url = _hooks.Url(dataset) },
                new { kind = "slack", url = _hooks.Url(slackHook) },
            },
        });
        var runId = Guid.CreateVersion7();

        // Alerting alone hears the run start, its scoring stage give up after its last attempt, and then - late - the
        // scored event of a replay: as if the other services had done so.
        await _alerts.SendAsync("alerting-batch-ingested", AlertsClient.Ingested(dataset, runId));
        await _alerts.SendAsync("alerting-run-failed", new RunFailed
        {
            RunId = runId,
            Dataset = dataset,
            Stage = Stages.Score,
            Reason = "Scoring gave up after its last attempt: the object store could not be reached.",
            Timing = new StageTiming(Stages.Score, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        });
        var failure = Assert.Single(await _hooks.WaitForAsync(dataset, 1)).Json;
        Assert.Equal("outcome", failure.GetProperty("trigger").GetString());
        Assert.Equal("critical", failure.GetProperty("severity").GetString());
        await _hooks.WaitForAsync(slackHook, 1);

        var scored = AlertsClient.Scored(dataset, runId) with { DecisionCounts = new Dictionary<string, long>() };
        await _alerts.SendAsync("alerting-batch-scored", scored);
        await _alerts.SendAsync("alerting-batch-scored", scored); // redelivered: still one resolution

        var hooks = await _hooks.WaitForAsync(dataset, 2);
        var resolution = hooks[1].Json;
        Assert.Equal("resolved", resolution.GetProperty("trigger").GetString());
        Assert.StartsWith("[RESOLVED] ", resolution.GetProperty("title").GetString());
        Assert.Equal(runId, resolution.GetProperty("runId").GetGuid());
        Assert.Equal("completed", resolution.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(failure.GetProperty("alertId").GetGuid(), Assert.Single(resolution.GetProperty("resolves").EnumerateArray()).GetGuid());
        var slack = await _hooks.WaitForAsync(slackHook, 2);
        Assert.Contains("RESOLVED", slack[1].Body, StringComparison.Ordinal);

        var listed = await _alerts.WaitForAlertsAsync(dataset, alerts => alerts.Count == 2 && alerts.All(a => a.GetProperty("status").GetString() == "sent"));
        var resolved = Assert.Single(listed, a => a.GetProperty("trigger").GetString() == "resolved");
        Assert.Equal(2, resolved.GetProperty("deliveries").GetArrayLength());

        // Nothing more arrives: exactly one resolution per channel.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, _hooks.For(dataset).Count);
        Assert.Equal(2, _hooks.For(slackHook).Count);
        Assert.Equal(2, (await _alerts.ListAsync(dataset)).Count);
    }

    [Fact]
    public async Task A_run_that_completes_without_a_failure_alert_gets_no_resolution()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "oncall",
            throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "run_failed", severity = "critical" }, new { kind = "block_decision" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });
        var runId = Guid.CreateVersion7();

        await _alerts.SendAsync("alerting-batch-ingested", AlertsClient.Ingested(dataset, runId));
        await _alerts.SendAsync("alerting-batch-scored", AlertsClient.Scored(dataset, runId));

        var alert = Assert.Single(await _hooks.WaitForAsync(dataset, 1)).Json;
        Assert.Equal("outcome", alert.GetProperty("trigger").GetString());
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_hooks.For(dataset));
        Assert.DoesNotContain(await _alerts.ListAsync(dataset), a => a.GetProperty("trigger").GetString() == "resolved");
    }
}
