using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>Intake goes on while Validation is down: Ingest answers from its own copy of the dataset catalog.</summary>
[Collection(FaultCollection.Name)]
public sealed class ValidationDownTests(VigilAppFixture fixture)
{
    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task Batches_are_accepted_while_validation_is_down_and_complete_after_it_returns()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        var before = (await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(10, seed: 200))).RunId;

        var during = new List<Guid>();
        await fixture.StopResourceAsync("validation");
        try
        {
            // Past Ingest's 30 s in-memory memory of the dataset: only its stored copy can answer now.
            await Task.Delay(TimeSpan.FromSeconds(31));
            during.Add((await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(10, seed: 201))).RunId);
            during.Add((await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(10, seed: 202))).RunId);
        }
        finally
        {
            await fixture.StartResourceAsync("validation");
        }

        foreach (var run in during.Prepend(before))
            Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(run, TimeSpan.FromSeconds(120))).Status);
    }
}
