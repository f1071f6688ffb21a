using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>With RabbitMQ away, a batch is still accepted at once (it waits in Ingest's outbox) and completes once the broker is back.</summary>
[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests(VigilAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>How soon after the broker is back (healthy) an accepted run must have completed: seconds, not minutes.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(45);

    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task A_batch_sent_while_the_broker_is_down_is_accepted_and_completes_after_the_broker_returns()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        using var ingest = _client.DirectToIngest();
        using var health = new HttpClient { BaseAddress = fixture.GetEndpoint("ingest"), Timeout = TimeSpan.FromSeconds(10) };

        Guid runId;
        JsonElement? unhealthy = null;
        var broker = await ServerFaults.StopAsync(fixture, "rabbitmq");
        try
        {
            // /health names the broker Unhealthy within 10 s.
            var since = Stopwatch.StartNew();
            while (since.Elapsed < TimeSpan.FromSeconds(10) && unhealthy is null)
            {
                using var probe = await health.GetAsync("/health");
                var report = await probe.Content.ReadFromJsonAsync<JsonElement>();
                if (report.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString() == "Unhealthy") unhealthy = report;
                else await Task.Delay(250);
            }

            var accepting = Stopwatch.StartNew();
            using var response = await new VigilClient(ingest).PostCsvAsync(dataset, ReliabilityClient.Csv(25, seed: 7), idempotencyKey: "outage-1");
            accepting.Stop();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True(accepting.Elapsed < TimeSpan.FromSeconds(5), $"accepting took {accepting.Elapsed} with the broker {broker.How}");
            runId = (await response.Content.ReadFromJsonAsync<AcceptedBatch>())!.RunId;

            // The client's retry with the same key gets the same run back, not a "duplicate" of nothing.
            using var retry = await new VigilClient(ingest).PostCsvAsync(dataset, ReliabilityClient.Csv(25, seed: 7), idempotencyKey: "outage-1");
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal(runId, (await retry.Content.ReadFromJsonAsync<AcceptedBatch>())!.RunId);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await broker.DisposeAsync();
        }

        Assert.True(unhealthy is not null, $"/health did not call the broker ({broker.How}) Unhealthy within 10 s");
        var back = Stopwatch.StartNew();
        var run = await fixture.Api.WaitForRunAsync(runId, TimeSpan.FromSeconds(300));
        back.Stop();
        output.WriteLine($"broker healthy again -> run {run.Status}: {back.Elapsed.TotalSeconds:0.0} s");
        foreach (var service in new[] { "ingest", "validation", "scoring", "lineage" })
            foreach (var line in fixture.RecentLogs(service).TakeLast(15)) output.WriteLine($"{service}: {line}");
        Assert.Equal("completed", run.Status);
        Assert.True(back.Elapsed < Recovery, $"the run completed {back.Elapsed.TotalSeconds:0} s after the broker returned (limit {Recovery.TotalSeconds:0} s)");
    }
}
