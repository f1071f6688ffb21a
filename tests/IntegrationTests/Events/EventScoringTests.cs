using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Alerting;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>Events through the gateway, scored by their entity's rolling statistics in Redis, stored, served and alerted on.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class EventScoringTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly EventsClient _events = new(fixture);
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task An_amount_far_from_its_accounts_history_is_blocked_stored_served_and_alerted()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);
        await _alerts.CreatePolicyAsync(new
        {
            dataset, name = "blocked-events", throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "block_decision", severity = "critical" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });

        // History: 30 ordinary payments of a-1 and of a-2, in one NDJSON request and as a JSON array.
        using (var first = await _events.PostNdjsonAsync(dataset, EventsClient.Normal("a-1", 30, "h1")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            var receipt = await first.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(30, receipt.GetProperty("accepted").GetInt32());
            Assert.Equal($"/api/datasets/{dataset}/events/anomalies", first.Headers.Location?.OriginalString);
        }
        using (var second = await _events.PostAsync(dataset, $"[{string.Join(',', EventsClient.Normal("a-2", 30, "h2"))}]", "application/json"))
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await _events.WaitForScoredAsync(dataset, 60);
        Assert.Empty(await _events.AnomaliesAsync(dataset));

        // 5,000 is ordinary nowhere in a-1's history; for a brand-new account there is no history to judge by.
        using (var outlier = await _events.PostNdjsonAsync(dataset,
                   [EventsClient.Event("x-1", "a-1", 5000), EventsClient.Event("x-2", "a-2", 101), EventsClient.Event("x-3", "a-new", 5000)]))
            Assert.Equal(HttpStatusCode.Accepted, outlier.StatusCode);
        var stats = await _events.WaitForScoredAsync(dataset, 63);

        var anomaly = Assert.Single(await _events.AnomaliesAsync(dataset));
        Assert.Equal("x-1", anomaly.GetProperty("key").GetProperty("event_id").GetString());
        Assert.Equal("a-1", anomaly.GetProperty("entity").GetString());
        Assert.Equal("block", anomaly.GetProperty("decision").GetString());
        Assert.Equal(100, anomaly.GetProperty("risk").GetDouble());
        Assert.True(anomaly.GetProperty("zScore").GetDouble() > 8);
        Assert.Equal(["amount"], anomaly.GetProperty("topFeatures").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, anomaly.GetProperty("modelVersion").GetInt32());
        var accepted = anomaly.GetProperty("acceptedAt").GetDateTimeOffset();
        var persisted = anomaly.GetProperty("persistedAt").GetDateTimeOffset();
        Assert.InRange(persisted - accepted, TimeSpan.Zero, TimeSpan.FromSeconds(30));

        Assert.Equal(1, stats.GetProperty("anomalies").GetInt64());
        var latency = stats.GetProperty("eventLatencyMs");
        Assert.True(latency.GetProperty("p95").GetDouble() >= latency.GetProperty("p50").GetDouble());
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);

        // Only anomalies after 'since' are listed.
        var later = await fixture.Gateway.GetFromJsonAsync<JsonElement>(
            $"/api/datasets/{dataset}/events/anomalies?since={Uri.EscapeDataString(persisted.AddMilliseconds(1).ToString("O"))}");
        Assert.Empty(later.GetProperty("items").EnumerateArray());

        var alert = Assert.Single(await _hooks.WaitForAsync(dataset, 1)).Json;
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("block_decision", alert.GetProperty("conditions")[0].GetProperty("kind").GetString());
        Assert.Equal("1 record was decided 'block'.", alert.GetProperty("conditions")[0].GetProperty("detail").GetString());
    }
}
