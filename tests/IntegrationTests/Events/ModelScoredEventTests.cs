using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>With an active model, streamed events are scored by it: its risk, decision and top features stand.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class ModelScoredEventTests(VigilAppFixture fixture)
{
    private readonly EventsClient _events = new(fixture);
    private readonly Scoring.ScoringClient _scoring = new(fixture);

    [Fact]
    public async Task Events_of_a_dataset_with_an_active_model_are_scored_by_that_model()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);

        // Train on a validated batch of ordinary payments (amount 80-120, fee about 2% of it) and promote the model.
        var random = new Random(7);
        var csv = new StringBuilder("event_id,account_id,booked_at,amount,fee\n");
        for (var i = 0; i < 2000; i++)
        {
            var amount = Math.Round(80 + 40 * random.NextDouble(), 2);
            csv.Append(CultureInfo.InvariantCulture, $"t-{i},a-{i % 50},2026-11-20T{i % 24:D2}:00:00Z,{amount},{Math.Round(amount * 0.02, 2)}\n");
        }
        var runId = (await fixture.Api.CompleteCsvAsync(dataset, csv.ToString(), "2026-11-20")).RunId;
        var version = (await _scoring.TrainAsync(dataset, new { runId })).GetProperty("version").GetInt32();
        await _scoring.PromoteAsync(dataset, version);

        // No history for these accounts in Redis: only the model can judge them.
        string Payment(string id, double amount, double fee) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["event_id"] = id, ["account_id"] = "a-1", ["booked_at"] = "2026-11-21T10:00:00Z", ["amount"] = amount, ["fee"] = fee,
        });
        using (var response = await _events.PostNdjsonAsync(dataset, [Payment("ok-1", 100, 2), Payment("ok-2", 95.5, 1.91), Payment("odd-1", 5000, 2)]))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _events.WaitForScoredAsync(dataset, 3);

        var anomaly = Assert.Single(await _events.AnomaliesAsync(dataset));
        Assert.Equal("odd-1", anomaly.GetProperty("key").GetProperty("event_id").GetString());
        Assert.Equal(version, anomaly.GetProperty("modelVersion").GetInt32());
        Assert.Equal("block", anomaly.GetProperty("decision").GetString());
        Assert.Contains("amount", anomaly.GetProperty("topFeatures").EnumerateArray().Select(f => f.GetString()));
    }
}
