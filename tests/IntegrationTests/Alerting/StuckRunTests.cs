using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Alerting;

[Collection(VigilAppCollection.Name)]
public sealed class StuckRunTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task A_run_that_does_not_complete_in_time_is_marked_stuck_and_alerted_once_and_one_that_completes_is_not()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "timeliness",
            throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "run_not_completed_within", within = "00:00:02", severity = "critical" }, new { kind = "run_failed" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });
        var stuck = Guid.CreateVersion7();
        var onTime = Guid.CreateVersion7();

        // Only Alerting hears that these runs started, as if the next stage had hung; the second one completes at once.
        await _alerts.SendAsync("alerting-batch-ingested", AlertsClient.Ingested(dataset, stuck));
        await _alerts.SendAsync("alerting-batch-ingested", AlertsClient.Ingested(dataset, onTime));
        await _alerts.SendAsync("alerting-batch-scored", AlertsClient.Scored(dataset, onTime) with { DecisionCounts = new Dictionary<string, long>() });

        var alert = Assert.Single(await _hooks.WaitForAsync(dataset, 1, TimeSpan.FromSeconds(20))).Json;
        Assert.Equal(stuck, alert.GetProperty("runId").GetGuid());
        Assert.Equal("stuck", alert.GetProperty("trigger").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        var condition = Assert.Single(alert.GetProperty("conditions").EnumerateArray());
        Assert.Equal("run_not_completed_within", condition.GetProperty("kind").GetString());
        Assert.StartsWith("The run has not completed within 2s: it started ", condition.GetProperty("detail").GetString());
        var run = alert.GetProperty("run");
        Assert.Equal("running", run.GetProperty("status").GetString());
        Assert.Equal("2026-11-22", run.GetProperty("executionDate").GetString());
        Assert.Equal("not scored", run.GetProperty("device").GetString());

        var marked = Assert.Single(await StuckRunsAsync(dataset));
        Assert.Equal(stuck, marked.GetProperty("runId").GetGuid());
        Assert.Equal("running", marked.GetProperty("status").GetString());

        // Later scans see the run still open but do not alert again; when it finally completes, the mark records that
        // and the stuck alert is followed by one resolution on the same channel.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_hooks.For(dataset));
        await _alerts.SendAsync("alerting-batch-scored", AlertsClient.Scored(dataset, stuck) with { DecisionCounts = new Dictionary<string, long>() });
        await WaitUntilAsync(async () => (await StuckRunsAsync(dataset)).Single().GetProperty("status").GetString() == "completed");
        var resolution = (await _hooks.WaitForAsync(dataset, 2))[1].Json;
        Assert.Equal("resolved", resolution.GetProperty("trigger").GetString());
        Assert.Equal(alert.GetProperty("alertId").GetGuid(), Assert.Single(resolution.GetProperty("resolves").EnumerateArray()).GetGuid());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _hooks.For(dataset).Count);
        Assert.Equal(2, (await _alerts.ListAsync(dataset)).Count);
    }

    private async Task<IReadOnlyList<JsonElement>> StuckRunsAsync(string dataset) =>
        [.. (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/alerts/stuck-runs?dataset={dataset}")).EnumerateArray()];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(100);
        }
    }
}
