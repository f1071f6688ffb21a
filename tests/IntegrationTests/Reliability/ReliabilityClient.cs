using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>The reliability tests' own pieces: a fresh dataset, its batches' CSV, and a client straight to Ingest (wrap it in a <see cref="VigilClient"/> to post batches past the gateway).</summary>
internal sealed class ReliabilityClient(VigilAppFixture fixture)
{
    public static string NewDataset() => $"tests.rel_{Guid.NewGuid():n}"[..30];

    public Task RegisterAsync(string dataset) => fixture.RegisterDatasetAsync(dataset);

    public static string Csv(int rows, int seed) =>
        "transaction_id,account,amount\n" + string.Concat(Enumerable.Range(0, rows).Select(i =>
            $"t-{seed}-{i},a-{i % 7},{(10 + (seed * 31 + i * 17) % 90).ToString(System.Globalization.CultureInfo.InvariantCulture)}.50\n"));

    /// <summary>A client of Ingest itself, past the gateway (for faults the gateway would also feel).</summary>
    public HttpClient DirectToIngest() => new() { BaseAddress = fixture.GetEndpoint("ingest"), Timeout = TimeSpan.FromSeconds(60) };
}
