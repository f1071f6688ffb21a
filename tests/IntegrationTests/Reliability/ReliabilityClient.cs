using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>Batches and events as a retrying pipeline sends them, through the gateway or straight to Ingest.</summary>
internal sealed class ReliabilityClient(VigilAppFixture fixture)
{
    public static string NewDataset() => $"tests.rel_{Guid.NewGuid():n}"[..30];

    public Task RegisterAsync(string dataset) => fixture.RegisterDatasetAsync(dataset);

    public static string Csv(int rows, int seed) =>
        "transaction_id,account,amount\n" + string.Concat(Enumerable.Range(0, rows).Select(i =>
            $"t-{seed}-{i},a-{i % 7},{(10 + (seed * 31 + i * 17) % 90).ToString(System.Globalization.CultureInfo.InvariantCulture)}.50\n"));

    public static async Task<HttpResponseMessage> PostBatchAsync(HttpClient client, string dataset, string csv, string? idempotencyKey = null, string executionDate = "2026-11-20")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/batches?executionDate={executionDate}")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public async Task<Guid> SubmitAsync(string dataset, string csv, string executionDate = "2026-11-20")
    {
        using var response = await PostBatchAsync(fixture.Gateway, dataset, csv, executionDate: executionDate);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
    }

    /// <summary>A client of Ingest itself, past the gateway (for faults the gateway would also feel).</summary>
    public HttpClient DirectToIngest() => new() { BaseAddress = fixture.GetEndpoint("ingest"), Timeout = TimeSpan.FromSeconds(60) };
}
