using System.Net;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>
/// Events accepted with 202 while Scoring is down wait on the bus: when its queue is deep the intake answers 429 with
/// Retry-After, and once Scoring is back every accepted event is scored and the anomaly among them persisted.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class ScoringRestartTests(VigilAppFixture fixture)
{
    private readonly EventsClient _events = new(fixture);

    [Fact]
    public async Task Events_accepted_while_scoring_is_stopped_are_all_scored_after_it_restarts_and_a_deep_queue_gets_429()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);
        using (var history = await _events.PostNdjsonAsync(dataset, EventsClient.Normal("a-1", 30, "h")))
            Assert.Equal(HttpStatusCode.Accepted, history.StatusCode);
        await _events.WaitForScoredAsync(dataset, 30);

        await fixture.StopResourceAsync("scoring");
        var accepted = 0;
        HttpResponseMessage? refused = null;
        try
        {
            using (var outlier = await _events.PostNdjsonAsync(dataset, [EventsClient.Event("x-1", "a-1", 9000)]))
                Assert.Equal(HttpStatusCode.Accepted, outlier.StatusCode);
            accepted++;
            // One event per request, one after the other: each becomes its own micro-batch, so the scoring queue
            // deepens by one per request until it passes Ingest:Events:MaxQueuedBatches (200).
            for (var i = 0; i < 600 && refused is null; i++)
            {
                var response = await _events.PostNdjsonAsync(dataset, [EventsClient.Event($"q-{i}", "a-1", 100)]);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted++;
                    response.Dispose();
                }
                else refused = response;
            }
        }
        finally
        {
            await fixture.StartResourceAsync("scoring");
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.StartsWith("Scoring is behind:", problem.GetProperty("detail").GetString());
        }
        Assert.InRange(accepted, 201, 600);

        JsonElement stats;
        try
        {
            stats = await _events.WaitForScoredAsync(dataset, 30 + accepted, TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException e)
        {
            var log = fixture.RecentLogs("scoring").Where(line => !line.Contains("info", StringComparison.OrdinalIgnoreCase)).TakeLast(20);
            throw new TimeoutException($"{e.Message}{Environment.NewLine}Scoring's recent warnings and errors:{Environment.NewLine}{string.Join(Environment.NewLine, log)}", e);
        }
        Assert.Equal(30 + accepted, stats.GetProperty("events").GetInt64());
        var anomaly = Assert.Single(await _events.AnomaliesAsync(dataset));
        Assert.Equal("x-1", anomaly.GetProperty("key").GetProperty("event_id").GetString());
        Assert.Equal("block", anomaly.GetProperty("decision").GetString());
    }
}
