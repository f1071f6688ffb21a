using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// With Postgres stopped, reads and writes through the gateway are answered at once with 503 problem+json and
/// Retry-After, never a hang and never a 500 naming an exception type (as once happened when the services ran as
/// Development and the developer exception page answered ahead of Vigil's handler).
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PostgresOutageAnswerTests(VigilAppFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reads_and_writes_through_the_gateway_answer_503_with_Retry_After_while_postgres_is_down()
    {
        var dataset = ReliabilityClient.NewDataset();
        await fixture.RegisterDatasetAsync(dataset);
        // Warm every path once, so pooled connections exist to be broken and the gateway has the key cached.
        var requests = Requests(dataset);
        foreach (var request in requests) (await fixture.Gateway.SendAsync(request())).Dispose();

        var answers = new List<string>();
        var postgres = await ServerFaults.StopAsync(fixture, "postgres");
        try
        {
            foreach (var request in requests)
            {
                using var message = request();
                var what = $"{message.Method} {message.RequestUri}";
                var took = Stopwatch.StartNew();
                using var response = await fixture.Gateway.SendAsync(message);
                took.Stop();
                var body = await response.Content.ReadAsStringAsync();
                answers.Add($"{what} -> {(int)response.StatusCode} in {took.Elapsed.TotalSeconds:0.00} s: {body}");

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode} {body}");
                Assert.True(took.Elapsed < Prompt, $"{what} took {took.Elapsed.TotalSeconds:0.00} s");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter is not null, $"{what}: no Retry-After");
                Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
                Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var answer in answers) output.WriteLine(answer);
            await postgres.DisposeAsync();
        }

        // Once Postgres is back, a client that honours Retry-After is served again within seconds (a pooled connection
        // that died with the server fails its first use, which is answered 503 like the outage itself).
        var served = HttpStatusCode.ServiceUnavailable;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); served != HttpStatusCode.OK && DateTime.UtcNow < deadline;)
        {
            using var after = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}");
            served = after.StatusCode;
            if (served != HttpStatusCode.OK) await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(HttpStatusCode.OK, served);
    }

    /// <summary>One read and one write of each service that keeps its state in Postgres, as a client sends them.</summary>
    private static Func<HttpRequestMessage>[] Requests(string dataset) =>
    [
        () => new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{Guid.CreateVersion7()}"),
        () => new HttpRequestMessage(HttpMethod.Get, $"/api/runs?dataset={dataset}"),
        () => new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{dataset}"),
        () => new HttpRequestMessage(HttpMethod.Get, $"/api/alerts?dataset={dataset}"),
        () => new HttpRequestMessage(HttpMethod.Post, "/api/datasets")
        {
            Content = JsonContent.Create(new { name = dataset, keyColumns = new[] { "transaction_id", "account" } }),
        },
        () =>
        {
            var batch = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/batches?executionDate=2026-11-21")
            {
                Content = new StringContent(ReliabilityClient.Csv(10, seed: 11), Encoding.UTF8, "text/csv"),
            };
            batch.Headers.Add("Idempotency-Key", $"pg-down-{Guid.NewGuid():n}");
            return batch;
        },
    ];
}
