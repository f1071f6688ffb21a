using System.Net;
using Vigil.IntegrationTests.Events;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Every streamed event's score, not only the anomalous ones, downloaded as CSV through the gateway.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class EventScoresCsvTests(VigilAppFixture fixture)
{
    private readonly EventsClient _events = new(fixture);

    [Fact]
    public async Task Every_scored_event_is_listed_once_with_its_risk_and_decision()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);
        using (var history = await _events.PostNdjsonAsync(dataset, EventsClient.Normal("a-1", 30, "h")))
            Assert.Equal(HttpStatusCode.Accepted, history.StatusCode);
        await _events.WaitForScoredAsync(dataset, 30);
        using (var outlier = await _events.PostNdjsonAsync(dataset, [EventsClient.Event("x-1", "a-1", 5000)]))
            Assert.Equal(HttpStatusCode.Accepted, outlier.StatusCode);
        await _events.WaitForScoredAsync(dataset, 31);

        using var response = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/events/scores.csv?since=2000-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["persisted_at", "accepted_at", "batch_id", "event_index", "event_id", "entity", "risk", "decision", "z_score", "model_version", "top_features"], header);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var byId = rows.ToDictionary(r => r[4]); // throws on a duplicate event
        Assert.Equal(31, byId.Count);
        Assert.Equal("block", byId["x-1"][7]);
        Assert.Equal("100", byId["x-1"][6]);
        Assert.Equal("amount", byId["x-1"][10]);
        Assert.All(rows.Where(r => r[4] != "x-1"), r => Assert.Equal("approve", r[7]));
        Assert.All(rows, r => Assert.Equal("a-1", r[5]));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=100001")]
    [InlineData("since=yesterday")]
    public async Task A_bad_limit_or_since_is_a_problem(string query)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/datasets/tests.any/events/scores.csv?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
