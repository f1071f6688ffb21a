using System.Diagnostics;
using System.Net;
using System.Text;
using Vigil.IntegrationTests.Events;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>A Redis that hangs (SIGSTOP) does not stall intake: batches go on, events with a key get a prompt 503 + Retry-After.</summary>
[Collection(FaultCollection.Name)]
public sealed class RedisHangTests(VigilAppFixture fixture)
{
    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task With_redis_hung_batches_are_accepted_and_keyed_events_answered_503_within_seconds()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        var events = new EventsClient(fixture);
        var eventsDataset = EventsClient.NewDataset();
        await events.RegisterAsync(eventsDataset);
        using var ingest = _client.DirectToIngest();
        // Warm up: the catalog copy and connections exist before the fault.
        using (await new VigilClient(ingest).PostCsvAsync(dataset, ReliabilityClient.Csv(5, seed: 100))) { }

        Guid runId;
        var redis = ServerFaults.Suspend(fixture, "redis");
        try
        {
            var batch = Stopwatch.StartNew();
            using var accepted = await new VigilClient(ingest).PostCsvAsync(dataset, ReliabilityClient.Csv(20, seed: 101), idempotencyKey: "hung-redis-1");
            batch.Stop();
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"{(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
            Assert.True(batch.Elapsed < TimeSpan.FromSeconds(5), $"a batch took {batch.Elapsed} with Redis hung");
            runId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<AcceptedBatch>(accepted.Content))!.RunId;

            var keyed = Stopwatch.StartNew();
            using var refused = await ingest.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{eventsDataset}/events")
            {
                Content = new StringContent(EventsClient.Event("e-1", "a-1", 12) + "\n", Encoding.UTF8, "application/x-ndjson"),
                Headers = { { "Idempotency-Key", "hung-redis-events" } },
            });
            keyed.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(keyed.Elapsed < TimeSpan.FromSeconds(5), $"keyed events took {keyed.Elapsed} with Redis hung");

            // Through the gateway too, whose rate limiter keeps its buckets in Redis and fails open.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var viaGateway = Stopwatch.StartNew();
            using var throughGateway = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/batches?executionDate=2026-11-21")
            {
                Content = new StringContent(ReliabilityClient.Csv(20, seed: 102), Encoding.UTF8, "text/csv"),
            }, bounded.Token);
            viaGateway.Stop();
            Assert.Equal(HttpStatusCode.Accepted, throughGateway.StatusCode);
            Assert.True(viaGateway.Elapsed < TimeSpan.FromSeconds(5), $"a batch through the gateway took {viaGateway.Elapsed} with Redis hung");
        }
        finally
        {
            await redis.DisposeAsync();
        }

        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(runId, TimeSpan.FromSeconds(120))).Status);
    }
}
