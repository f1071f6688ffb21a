using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Rollback steps back through the versions that were active, one per call, instead of toggling between the last two.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class RollbackHistoryTests(VigilAppFixture fixture)
{
    private readonly ScoringClient _scoring = new(fixture);

    [Fact]
    public async Task Successive_rollbacks_go_from_v3_to_v2_to_v1_and_then_answer_409()
    {
        var dataset = $"tests.rollback_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "payment_id" } });
        var run = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(300, seed: 7, inject: false), "2026-11-19")).RunId;
        for (var version = 1; version <= 3; version++)
        {
            Assert.Equal(version, (await _scoring.TrainAsync(dataset, new { runId = run })).GetProperty("version").GetInt32());
            await _scoring.PromoteAsync(dataset, version);
        }

        Assert.Equal(2, await RollBackAsync(dataset));
        Assert.Equal(1, await RollBackAsync(dataset));
        Assert.Equal(new Dictionary<int, string> { [1] = "active", [2] = "archived", [3] = "archived" }, await StatusesAsync(dataset));

        using var nothing = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/rollback", null);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        Assert.Equal("application/problem+json", nothing.Content.Headers.ContentType?.MediaType);

        // Promoting again continues the history from there: v3 over v1, and a rollback returns to v1.
        await _scoring.PromoteAsync(dataset, 3);
        Assert.Equal(1, await RollBackAsync(dataset));
    }

    private async Task<int> RollBackAsync(string dataset)
    {
        using var response = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/rollback", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var view = JsonDocument.Parse(body).RootElement;
        Assert.Equal("active", view.GetProperty("status").GetString());
        return view.GetProperty("version").GetInt32();
    }

    private async Task<Dictionary<int, string>> StatusesAsync(string dataset) =>
        (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models")).EnumerateArray()
            .ToDictionary(m => m.GetProperty("version").GetInt32(), m => m.GetProperty("status").GetString()!);
}
