using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>A client that retries after a lost 202 sends the same Idempotency-Key: its events are put on the bus once.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class EventIdempotencyTests(VigilAppFixture fixture)
{
    private readonly EventsClient _events = new(fixture);

    [Fact]
    public async Task A_request_repeated_with_its_Idempotency_Key_gets_the_first_receipt_and_its_events_are_scored_once()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);
        var body = string.Join('\n', EventsClient.Normal("a-1", 5, "once")) + "\n";

        using var first = await PostAsync(dataset, body, "retry-1");
        using var repeat = await PostAsync(dataset, body, "retry-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replay"));
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replay")));
        var receipt = await first.Content.ReadFromJsonAsync<JsonElement>();
        var replayed = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(receipt.GetProperty("acceptedAt").GetDateTimeOffset(), replayed.GetProperty("acceptedAt").GetDateTimeOffset());
        Assert.Equal(5, replayed.GetProperty("accepted").GetInt32());

        // Another key is another request; once its event is scored too, exactly six events have been.
        using (var other = await PostAsync(dataset, EventsClient.Event("other-1", "a-1", 100) + "\n", "retry-2"))
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        await _events.WaitForScoredAsync(dataset, 6);
        await Task.Delay(500);
        Assert.Equal(6, (await _events.StatsAsync(dataset)).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task An_Idempotency_Key_longer_than_200_characters_is_refused()
    {
        var dataset = EventsClient.NewDataset();
        await _events.RegisterAsync(dataset);

        using var response = await PostAsync(dataset, EventsClient.Event("e-1", "a-1", 5) + "\n", new string('k', 201));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("200 characters", await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string dataset, string ndjson, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/events")
        {
            Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        return fixture.Gateway.SendAsync(request);
    }
}
