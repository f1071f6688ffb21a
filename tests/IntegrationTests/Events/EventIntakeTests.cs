using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>Bad requests to the event intake and its read side, through the gateway: each a precise problem+json.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class EventIntakeTests(VigilAppFixture fixture)
{
    private readonly EventsClient _events = new(fixture);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Bad_event_requests_get_precise_problems()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);

        using var invalid = await _events.PostAsync(dataset, EventsClient.Event("e-1", "a-1", 5) + "\n{\"event_id\": \"e-2\",\n");
        var problem = await ProblemAsync(invalid, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid JSON", problem.GetProperty("title").GetString());
        Assert.StartsWith("The body is not valid JSON at line 2, byte", problem.GetProperty("detail").GetString());

        using var missing = await _events.PostAsync(dataset, """[{"event_id": "e-1", "booked_at": "2026-11-21T10:00:00Z", "amount": 5}]""", "application/json");
        problem = await ProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.Equal("Event 1 lacks the required field 'account_id'.", problem.GetProperty("detail").GetString());

        using var unknown = await _events.PostAsync("tests.no_such_dataset", EventsClient.Event("e-1", "a-1", 5));
        Assert.Equal("Unknown dataset", (await ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("title").GetString());

        using var csv = await _events.PostAsync(dataset, "event_id\ne-1\n", "text/csv");
        Assert.Equal("Unsupported event format", (await ProblemAsync(csv, HttpStatusCode.UnsupportedMediaType)).GetProperty("title").GetString());

        var huge = string.Join('\n', Enumerable.Range(0, 60_000).Select(i => EventsClient.Event($"e-{i}", "a-1", i)));
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 4 * 1024 * 1024);
        using var oversized = await _events.PostAsync(dataset, huge);
        Assert.Equal("Body too large", (await ProblemAsync(oversized, HttpStatusCode.RequestEntityTooLarge)).GetProperty("title").GetString());

        // Nothing of the rejected requests reached Scoring.
        await Task.Delay(500);
        Assert.Equal(0, (await _events.StatsAsync(dataset)).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Bad_anomaly_queries_get_precise_problems()
    {
        using var since = await fixture.Gateway.GetAsync("/api/datasets/tests.any/events/anomalies?since=yesterday");
        Assert.Equal("Invalid since", (await ProblemAsync(since, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        using var decision = await fixture.Gateway.GetAsync("/api/datasets/tests.any/events/anomalies?decision=maybe");
        Assert.Equal("Invalid decision", (await ProblemAsync(decision, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        using var name = await fixture.Gateway.GetAsync("/api/datasets/Bad%20Name/events/anomalies");
        Assert.Equal("Invalid dataset name", (await ProblemAsync(name, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
    }
}
