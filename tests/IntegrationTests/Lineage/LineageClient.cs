using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

/// <summary>Submits batches and reconciliations through the gateway and waits for what Lineage records of them.</summary>
internal sealed class LineageClient(VigilAppFixture fixture)
{
    public const string Transactions = "transaction_id,account_id,amount,booked_at\n" +
                                       "t-1,a-1,12.50,2026-11-20T10:00:00Z\n" +
                                       "t-2,a-1,7.25,2026-11-20T10:05:00Z\n" +
                                       "t-3,a-2,99.00,2026-11-20T11:00:00Z\n";

    public static readonly string[] TransactionColumns = ["transaction_id", "account_id", "amount", "booked_at"];

    public HttpClient Gateway => fixture.Gateway;

    public async Task<string> RegisterAsync(string prefix, object? definition = null)
    {
        var name = $"tests.{prefix}_{Guid.NewGuid():n}"[..30];
        await fixture.RegisterDatasetAsync(name, definition);
        return name;
    }

    public async Task<Guid> SubmitCsvAsync(string dataset, string csv, string executionDate = "2026-11-20")
    {
        using var response = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/batches?executionDate={executionDate}",
            new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
    }

    public async Task<Guid> SubmitReconciliationAsync(string dataset, string source, string target)
    {
        using var form = new MultipartFormDataContent { { Csv(source), "source", "source.csv" }, { Csv(target), "target", "target.csv" } };
        using var response = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/reconciliations?executionDate=2026-11-20", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
    }

    /// <summary>
    /// The run once it ended and Lineage has recorded every stage listed: each stage arrives on its own queue, so
    /// the run may read completed a moment before an earlier stage's message is recorded.
    /// </summary>
    public async Task<JsonElement> WaitForRunAsync(Guid runId, params string[] stages)
    {
        await fixture.WaitForRunToEndAsync(runId);
        return await PollAsync($"/api/runs/{runId}", run =>
            stages.All(stage => run.GetProperty("stages").EnumerateArray().Any(s => s.GetProperty("stage").GetString() == stage)));
    }

    /// <summary>The run's OpenLineage events once every (job, eventType) listed is among them.</summary>
    public Task<JsonElement> WaitForEventsAsync(Guid runId, params (string Job, string EventType)[] expected) =>
        PollAsync($"/api/lineage/events?runId={runId}", events =>
            expected.All(x => events.EnumerateArray().Any(e => Job(e) == x.Job && e.GetProperty("eventType").GetString() == x.EventType)));

    public static string Job(JsonElement runEvent) => runEvent.GetProperty("job").GetProperty("name").GetString()!;

    public async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string last = "nothing";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await fixture.Gateway.GetAsync(path);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (done(body)) return body;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"GET {path} did not reach the expected state; last answer: {last}");
    }

    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static ByteArrayContent Csv(string csv)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return part;
    }
}
