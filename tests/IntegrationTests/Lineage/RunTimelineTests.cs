using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

[Collection(VigilAppCollection.Name)]
public sealed class RunTimelineTests(VigilAppFixture fixture)
{
    private readonly LineageClient _lineage = new(fixture);

    [Fact]
    public async Task Scored_batch_timeline_has_ingest_validate_and_score_with_durations_rows_per_second_and_peak_memory()
    {
        var dataset = await _lineage.RegisterAsync("timeline");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;

        var run = await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");

        Assert.Equal("completed", run.Status);
        Assert.Equal(3, run.RowCount);
        var stages = run.Stages.ToDictionary(s => s.Stage);
        Assert.Equal(["ingest", "score", "validate"], stages.Keys.Order());
        foreach (var stage in stages.Values)
        {
            Assert.Equal((stage.CompletedAt - stage.StartedAt).TotalMilliseconds, stage.DurationMs, 3);
            Assert.Equal(3, stage.Rows);
            if (stage.CompletedAt > stage.StartedAt)
                Assert.Equal(3 / (stage.CompletedAt - stage.StartedAt).TotalSeconds, stage.RowsPerSecond!.Value, tolerance: 0.11);
        }
        Assert.True(stages["validate"].RowsPerSecond > 0);
        Assert.True(stages["ingest"].RowsPerSecond > 0);
        Assert.True(stages["validate"].PeakMemoryBytes > 1_000_000);
        Assert.True(stages["ingest"].StartedAt <= stages["validate"].StartedAt);
        Assert.True(stages["validate"].CompletedAt <= stages["score"].StartedAt);
        Assert.InRange(run.Validation!.DqScore!.Value, 0, 100);
        Assert.False(string.IsNullOrEmpty(run.Device));
        Assert.NotNull(run.AnomalyCount);
    }

    [Fact]
    public async Task Run_links_lead_to_its_reports_and_its_openlineage_events()
    {
        var dataset = await _lineage.RegisterAsync("links");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        var run = await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");

        var links = run.Links!;
        using var report = await fixture.Gateway.GetAsync(links.Reports["validation"]);
        using var events = await fixture.Gateway.GetAsync(links.Events);

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(runId, (await report.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.NotEmpty((await events.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }

    [Fact]
    public async Task Run_list_filters_by_started_at_window_and_status()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var dataset = await _lineage.RegisterAsync("list");
        var completed = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        var failed = (await fixture.Api.SubmitCsvAsync(dataset, "transaction_id,amount\nt-1,10\nt-2,20,extra\n")).RunId;
        await fixture.Api.WaitForRunAsync(completed);
        await fixture.Api.WaitForRunAsync(failed);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var inWindow = await ListAsync($"dataset={dataset}&from={Iso(before)}&to={Iso(after)}");
        var failedOnly = await ListAsync($"dataset={dataset}&status=failed&from={Iso(before)}&to={Iso(after)}");
        var completedOnly = await ListAsync($"dataset={dataset}&status=completed&from={Iso(before)}");
        var later = await ListAsync($"dataset={dataset}&from={Iso(after)}");
        var earlier = await ListAsync($"dataset={dataset}&to={Iso(before)}");
        var firstPage = await ListAsync($"dataset={dataset}&from={Iso(before)}&limit=1");

        Assert.Equal(2, inWindow.Total);
        Assert.Equal([failed], Ids(failedOnly));
        Assert.Equal(1, failedOnly.Total);
        Assert.Equal([completed], Ids(completedOnly));
        Assert.Equal(0, later.Total);
        Assert.Equal(0, earlier.Total);
        Assert.Single(Ids(firstPage));
        Assert.Equal(2, firstPage.Total);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-21&to=2026-11-20", "before")]
    [InlineData("status=lost", "status")]
    public async Task Run_list_rejects_bad_filters_with_problem_json(string query, string detailPart)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/runs?{query}");

        var problem = await LineageClient.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
    }

    private Task<RunPage> ListAsync(string query) => fixture.Api.ListRunsAsync(query);

    private static List<Guid> Ids(RunPage page) => [.. page.Items.Select(i => i.RunId)];

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}
