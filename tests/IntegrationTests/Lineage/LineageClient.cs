using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

/// <summary>Waits for what Lineage records of a run (its stages, its OpenLineage events); submitting is the typed client's.</summary>
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

    /// <summary>
    /// The run once it ended and Lineage has recorded every stage listed: each stage arrives on its own queue, so
    /// the run may read completed a moment before an earlier stage's message is recorded.
    /// </summary>
    public async Task<Run> WaitForRunAsync(Guid runId, params string[] stages)
    {
        await fixture.Api.WaitForRunAsync(runId);
        return await fixture.Api.PollRunAsync(runId, run => stages.All(stage => run.Stages.Any(s => s.Stage == stage)));
    }

    /// <summary>The run's OpenLineage events once every (job, eventType) listed is among them.</summary>
    public Task<JsonElement> WaitForEventsAsync(Guid runId, params (string Job, string EventType)[] expected) =>
        fixture.Api.PollAsync($"/api/lineage/events?runId={runId}", events =>
            expected.All(x => events.EnumerateArray().Any(e => Job(e) == x.Job && e.GetProperty("eventType").GetString() == x.EventType)));

    public static string Job(JsonElement runEvent) => runEvent.GetProperty("job").GetProperty("name").GetString()!;

    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }
}
