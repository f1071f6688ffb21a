using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

[Collection(VigilAppCollection.Name)]
public sealed class KpiHistoryTests(VigilAppFixture fixture)
{
    private const string Header = "transaction_id,account_id,amount\n";
    private readonly LineageClient _lineage = new(fixture);

    [Fact]
    public async Task History_returns_the_runs_in_execution_order_with_dq_score_row_count_and_anomaly_rate()
    {
        var (dataset, runs) = await ThreeDaysAsync();

        var history = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/history");

        var points = history.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22"], points.Select(p => p.GetProperty("executionDate").GetString()));
        Assert.Equal([runs["2026-11-20"], runs["2026-11-21"], runs["2026-11-22"]], points.Select(p => p.GetProperty("runId").GetGuid()));
        Assert.Equal([4L, 2L, 3L], points.Select(p => p.GetProperty("rowCount").GetInt64()));
        foreach (var point in points)
        {
            var run = (await fixture.Api.GetRunAsync(point.GetProperty("runId").GetGuid()))!;
            Assert.Equal(run.Validation!.DqScore!.Value, point.GetProperty("dqScore").GetDouble());
            Assert.Equal("completed", point.GetProperty("status").GetString());
            Assert.Equal(run.CompletedAt!.Value, point.GetProperty("completedAt").GetDateTimeOffset());
            var anomalies = point.GetProperty("anomalyCount").GetInt64();
            Assert.Equal(Math.Round((double)anomalies / point.GetProperty("rowCount").GetInt64(), 6), point.GetProperty("anomalyRate").GetDouble());
        }
        // The 20th has a null account_id, which the not_null rule counts against completeness.
        Assert.True(points[0].GetProperty("dqScore").GetDouble() < points[2].GetProperty("dqScore").GetDouble());
    }

    [Fact]
    public async Task History_is_limited_to_the_execution_dates_asked_for_and_the_most_recent_points()
    {
        var (dataset, runs) = await ThreeDaysAsync();

        var window = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/history?from=2026-11-21&to=2026-11-22");
        var latest = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/history?limit=2");
        var none = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/history?to=2026-11-19");

        Assert.Equal([runs["2026-11-21"], runs["2026-11-22"]], RunIds(window));
        Assert.Equal([runs["2026-11-21"], runs["2026-11-22"]], RunIds(latest));
        Assert.Empty(RunIds(none));
    }

    [Fact]
    public async Task History_of_a_dataset_without_runs_is_a_problem_json_404()
    {
        var dataset = await _lineage.RegisterAsync("nohistory");

        using var response = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/history");

        await LineageClient.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("from=20-11-2026")]
    [InlineData("from=2026-11-22&to=2026-11-20")]
    [InlineData("limit=0")]
    public async Task History_rejects_bad_parameters_with_problem_json_400(string query)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/datasets/tests.any/history?{query}");

        await LineageClient.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    /// <summary>Three runs submitted out of date order; the 20th has 4 rows, one with a null account_id.</summary>
    private async Task<(string Dataset, Dictionary<string, Guid> Runs)> ThreeDaysAsync()
    {
        var dataset = await _lineage.RegisterAsync("history", new
        {
            keyColumns = new[] { "transaction_id" },
            rules = new object[] { new { kind = "not_null", column = "account_id" } },
        });
        var runs = new Dictionary<string, Guid>
        {
            ["2026-11-22"] = (await fixture.Api.SubmitCsvAsync(dataset, Header + "t-1,a-1,1.5\nt-2,a-2,2.5\nt-3,a-3,3.5\n", "2026-11-22")).RunId,
            ["2026-11-20"] = (await fixture.Api.SubmitCsvAsync(dataset, Header + "t-1,a-1,1.5\nt-2,,2.5\nt-3,a-3,3.5\nt-4,a-4,4.5\n", "2026-11-20")).RunId,
            ["2026-11-21"] = (await fixture.Api.SubmitCsvAsync(dataset, Header + "t-1,a-1,1.5\nt-2,a-2,2.5\n", "2026-11-21")).RunId,
        };
        foreach (var runId in runs.Values) await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");
        return (dataset, runs);
    }

    private static List<Guid> RunIds(JsonElement history) =>
        [.. history.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("runId").GetGuid())];
}
