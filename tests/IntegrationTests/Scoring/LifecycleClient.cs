using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>The retraining loop's calls through the gateway: policy, events, model statuses, feedback and daily performance.</summary>
public sealed class LifecycleClient(VigilAppFixture fixture)
{
    public async Task SetPolicyAsync(string dataset, object policy)
    {
        using var response = await fixture.Gateway.PutAsJsonAsync($"/api/datasets/{dataset}/models/policy", policy);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<List<JsonElement>> EventsAsync(string dataset) =>
        [.. (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models/events")).EnumerateArray()];

    public async Task<Dictionary<int, string>> StatusesAsync(string dataset) =>
        (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models")).EnumerateArray()
            .ToDictionary(m => m.GetProperty("version").GetInt32(), m => m.GetProperty("status").GetString()!);

    /// <summary>Polls the model list until <paramref name="version"/> exists (a retraining runs in the background).</summary>
    public async Task WaitForVersionAsync(string dataset, int version, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(await StatusesAsync(dataset)).ContainsKey(version))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"v{version} of {dataset} did not appear; events: {string.Join(" | ", (await EventsAsync(dataset)).Select(e => e.ToString()))}");
            await Task.Delay(500);
        }
    }

    public Task<HttpResponseMessage> FeedbackAsync(Guid runId, string verdict, params object[] keys) =>
        fixture.Gateway.PostAsJsonAsync($"/api/runs/{runId}/feedback", new { verdict, keys });

    /// <summary>The performance rows of a dataset from yesterday to tomorrow (UTC), by model version (one day's worth in a test).</summary>
    public async Task<Dictionary<int, JsonElement>> PerformanceAsync(string dataset)
    {
        var today = DateTime.UtcNow.Date;
        var table = await fixture.Gateway.GetFromJsonAsync<JsonElement>(
            $"/api/datasets/{dataset}/models/performance?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        return table.GetProperty("days").EnumerateArray().ToDictionary(d => d.GetProperty("modelVersion").GetInt32());
    }
}
