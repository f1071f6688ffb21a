using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>The scoring calls the scoring tests make through the gateway beside the typed client's: train, promote, read scores and anomaly keys.</summary>
public sealed class ScoringClient(VigilAppFixture fixture)
{
    /// <summary>Trains a version (body: runId, runs or lastRuns, ...) and returns it; anything but 201 fails the test.</summary>
    public async Task<JsonElement> TrainAsync(string dataset, object body)
    {
        using var response = await fixture.Gateway.PostAsJsonAsync($"/api/datasets/{dataset}/models", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task PromoteAsync(string dataset, int version)
    {
        using var response = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/{version}/promote", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<List<JsonElement>> ScoresAsync(Guid runId) =>
        [.. (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/scores")).EnumerateArray()];

    /// <summary>A run's scores.csv (every row's score) downloaded through the gateway, as its lines.</summary>
    public async Task<string[]> ScoresReportLinesAsync(Guid runId)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/runs/{runId}/scores.csv");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The <paramref name="keyColumn"/> values of a run's anomalies, optionally of one decision.</summary>
    public async Task<HashSet<string>> AnomalyKeysAsync(Guid runId, string keyColumn, string? decision = null)
    {
        var page = await fixture.Api.ListAnomaliesAsync(runId, $"limit=1000{(decision is null ? "" : $"&decision={decision}")}");
        return page.Items.Select(a => a.Key[keyColumn]!).ToHashSet();
    }
}
