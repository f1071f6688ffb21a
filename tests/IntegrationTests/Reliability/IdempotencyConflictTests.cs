using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Events;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>An Idempotency-Key stands for one request: the same body gets the first receipt, another body a 422, never a silent drop.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class IdempotencyConflictTests(VigilAppFixture fixture)
{
    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task A_batch_key_reused_with_the_same_body_gets_the_first_run_and_with_another_body_a_422()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        var first = ReliabilityClient.Csv(20, seed: 1);

        using var accepted = await fixture.Api.PostCsvAsync(dataset, first, idempotencyKey: "load-42");
        using var repeat = await fixture.Api.PostCsvAsync(dataset, first, idempotencyKey: "load-42");
        using var conflict = await fixture.Api.PostCsvAsync(dataset, ReliabilityClient.Csv(20, seed: 2), idempotencyKey: "load-42");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var run = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var repeated = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(run, repeated.GetProperty("runId").GetGuid());
        Assert.True(repeated.GetProperty("duplicate").GetBoolean());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        var problem = await conflict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Idempotency-Key", problem.GetProperty("title").GetString());
        Assert.Contains(run.ToString(), problem.GetProperty("detail").GetString());

        // The first run is processed normally; the refused body made no run.
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(run)).Status);
    }

    [Fact]
    public async Task An_events_key_reused_with_another_body_is_refused_with_422_and_its_events_are_not_scored()
    {
        var events = new EventsClient(fixture);
        var dataset = EventsClient.NewDataset();
        await events.RegisterAsync(dataset);
        var body = string.Join('\n', EventsClient.Normal("a-1", 3, "first")) + "\n";
        var other = string.Join('\n', EventsClient.Normal("a-1", 4, "second")) + "\n";

        using var accepted = await PostEventsAsync(dataset, body, "stream-7");
        using var repeat = await PostEventsAsync(dataset, body, "stream-7");
        using var conflict = await PostEventsAsync(dataset, other, "stream-7");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replay")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Contains("stream-7", await conflict.Content.ReadAsStringAsync());

        await events.WaitForScoredAsync(dataset, 3);
        await Task.Delay(500);
        Assert.Equal(3, (await events.StatsAsync(dataset)).GetProperty("events").GetInt64());
    }

    private Task<HttpResponseMessage> PostEventsAsync(string dataset, string ndjson, string idempotencyKey) =>
        fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/events")
        {
            Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        });
}
