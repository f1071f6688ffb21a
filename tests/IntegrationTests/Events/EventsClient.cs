using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Events;

/// <summary>Streams events of a test dataset through the gateway and reads back what Scoring made of them.</summary>
internal sealed class EventsClient(VigilAppFixture fixture)
{
    public static string NewDataset() => $"tests.events_{Guid.NewGuid():n}"[..30];

    /// <summary>A dataset of card payments keyed by event_id, per account, with a timestamp.</summary>
    public Task RegisterAsync(string dataset) => fixture.RegisterDatasetAsync(dataset, new
    {
        keyColumns = new[] { "event_id" },
        entityColumn = "account_id",
        timestampColumn = "booked_at",
    });

    public static string Event(string id, string account, double amount) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["event_id"] = id, ["account_id"] = account, ["booked_at"] = "2026-11-21T10:00:00Z", ["amount"] = amount,
    });

    /// <summary>Amounts around 100 (90-110) for one account: a history the rolling statistics can judge against.</summary>
    public static IEnumerable<string> Normal(string account, int count, string prefix) =>
        Enumerable.Range(0, count).Select(i => Event($"{prefix}-{i}", account, 90 + (i * 7 % 21)));

    public Task<HttpResponseMessage> PostAsync(string dataset, string body, string mediaType = "application/x-ndjson") =>
        fixture.Gateway.PostAsync($"/api/datasets/{dataset}/events", new StringContent(body, Encoding.UTF8, mediaType));

    public Task<HttpResponseMessage> PostNdjsonAsync(string dataset, IEnumerable<string> events) =>
        PostAsync(dataset, string.Join('\n', events) + "\n");

    public async Task<JsonElement> StatsAsync(string dataset) =>
        await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/events/stats?since=2000-01-01T00:00:00Z");

    public async Task<IReadOnlyList<JsonElement>> AnomaliesAsync(string dataset) =>
        [.. (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/events/anomalies?since=2000-01-01T00:00:00Z&limit=1000"))
            .GetProperty("items").EnumerateArray()];

    /// <summary>Waits until Scoring has stored <paramref name="events"/> events of the dataset (micro-batches with or without anomalies).</summary>
    public async Task<JsonElement> WaitForScoredAsync(string dataset, long events, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = default(JsonElement);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/events/stats?since=2000-01-01T00:00:00Z");
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (last.GetProperty("events").GetInt64() >= events) return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{dataset}: {events} events were not scored in time; last stats {last}");
    }

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
