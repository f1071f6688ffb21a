using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>Concurrent batches of one dataset each take the next schema version in turn: none fails on a version collision.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class SchemaVersionRaceTests(VigilAppFixture fixture)
{
    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task Twenty_concurrent_batches_of_one_dataset_all_complete()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);

        var runs = (await Task.WhenAll(Enumerable.Range(0, 20).Select(seed => fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(30, seed))))).Select(a => a.RunId).ToArray();
        var ended = await Task.WhenAll(runs.Select(run => fixture.Api.WaitForRunAsync(run, TimeSpan.FromSeconds(180))));

        var failed = ended.Where(run => run.Status != "completed").Select(run => $"{run.RunId} {run.Status} {run.Failure}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of 20 runs did not complete: {string.Join("; ", failed)}");
        Assert.Equal(20, runs.Distinct().Count());
    }
}
