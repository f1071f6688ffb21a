using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Vigil.Contracts;
using Vigil.IntegrationTests.Alerting;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// A stage whose first attempts fail because Postgres is away, and which succeeds once it is back, completes its run:
/// no RunFailed, no failure alert, no message parked in an error queue.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class TransientFailureTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task A_run_whose_stages_meet_a_postgres_outage_completes_without_a_failure_alert()
    {
        var dataset = ReliabilityClient.NewDataset();
        await fixture.RegisterDatasetAsync(dataset);
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "failures",
            throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "run_failed", severity = "critical" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });

        // The batch is stored as Ingest would store it; its BatchIngested reaches every stage while Postgres is away.
        var runId = Guid.CreateVersion7();
        var csv = ReliabilityClient.Csv(40, seed: 3);
        var key = $"raw/{dataset}/2026-11-20/{runId}.csv";
        await fixture.ObjectStore.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = fixture.Bucket, Key = key, ContentBody = csv, ContentType = "text/csv" });

        var postgres = await ServerFaults.StopAsync(fixture, "postgres");
        try
        {
            await _alerts.PublishAsync(new BatchIngested
            {
                RunId = runId,
                Dataset = dataset,
                ExecutionDate = new DateOnly(2026, 11, 20),
                ObjectKey = key,
                ContentType = "text/csv",
                SizeBytes = System.Text.Encoding.UTF8.GetByteCount(csv),
                ContentSha256 = new string('0', 64),
                Timing = new StageTiming(Stages.Ingest, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
            });
            await Task.Delay(TimeSpan.FromSeconds(8)); // several attempts of every consumer fall in the outage
        }
        finally
        {
            await postgres.DisposeAsync();
        }

        var run = await fixture.Api.WaitForRunAsync(runId, TimeSpan.FromSeconds(180));
        Assert.Equal("completed", run.Status);
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a (wrong) failure alert to be stored
        Assert.Empty(await _alerts.ListAsync(dataset));
        Assert.Empty(_hooks.For(dataset));

        // Nothing was parked in an error queue by the outage.
        foreach (var service in new[] { "validation", "scoring", "lineage", "alerting" })
        {
            using var http = new HttpClient { BaseAddress = fixture.GetEndpoint(service), Timeout = TimeSpan.FromSeconds(10) };
            var queues = await http.GetFromJsonAsync<JsonElement>("/api/system/dead-letters");
            Assert.NotEqual(0, queues.GetArrayLength());
            foreach (var queue in queues.EnumerateArray())
                Assert.True(queue.GetProperty("messages").GetInt64() == 0, $"{service}: {queue}");
        }
    }
}
