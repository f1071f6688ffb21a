using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Schedules;

/// <summary>The schedule calls the tests make through the gateway: read a dataset's schedule, backfill, wait for ticks.</summary>
public sealed class ScheduleClient(VigilAppFixture fixture)
{
    public async Task<JsonElement> ScheduleAsync(string dataset)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/schedule");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The dataset's tick records of one kind, oldest tick first.</summary>
    public async Task<List<JsonElement>> RunsAsync(string dataset, string kind) =>
        [.. (await ScheduleAsync(dataset)).GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == kind)
            .OrderBy(r => r.GetProperty("tick").GetDateTimeOffset())];

    /// <summary>Polls the schedule until <paramref name="enough"/> holds for the records of <paramref name="kind"/>.</summary>
    public async Task<List<JsonElement>> WaitForRunsAsync(string dataset, string kind, Func<List<JsonElement>, bool> enough, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var runs = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            runs = await RunsAsync(dataset, kind);
            if (enough(runs)) return runs;
            await Task.Delay(250);
        }
        throw new TimeoutException($"The {kind} schedule of {dataset} did not get there in {timeout}; records: {string.Join(" | ", runs)}; ingest: {string.Join(" | ", fixture.RecentLogs("ingest").TakeLast(8))}");
    }

    public Task<HttpResponseMessage> BackfillAsync(string dataset, object range) =>
        fixture.Gateway.PostAsJsonAsync($"/api/datasets/{dataset}/backfills", range);
}
