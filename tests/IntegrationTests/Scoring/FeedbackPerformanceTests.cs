using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Reviewers' feedback on a run's records changes the daily model performance table; bad inputs get problem+json.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class FeedbackPerformanceTests(VigilAppFixture fixture)
{
    private readonly ScoringClient _scoring = new(fixture);
    private readonly LifecycleClient _lifecycle = new(fixture);

    [Fact]
    public async Task Feedback_on_flagged_and_approved_records_shows_in_the_daily_performance_of_the_version_that_scored_them()
    {
        var dataset = $"tests.feedback_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { PaymentBatches.KeyColumn } });
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(2000, seed: 31, inject: false), "2026-11-01")).RunId;
        await _scoring.TrainAsync(dataset, new { runId = clean });
        await _scoring.PromoteAsync(dataset, 1);
        var run = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 32, inject: true), "2026-11-02")).RunId;

        var before = (await _lifecycle.PerformanceAsync(dataset))[1];
        Assert.Equal(1000, before.GetProperty("predictions").GetInt64());
        var flaggedCount = before.GetProperty("review").GetInt64() + before.GetProperty("block").GetInt64();
        Assert.Equal((0, 0), (before.GetProperty("confirmedAnomalies").GetInt64(), before.GetProperty("falseAlarms").GetInt64()));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("precision").ValueKind);
        Assert.True(before.GetProperty("latencyAvgMs").GetDouble() > 0 && before.GetProperty("latencyMaxMs").GetDouble() >= before.GetProperty("latencyAvgMs").GetDouble());
        Assert.True(before.GetProperty("blockThreshold").GetDouble() >= before.GetProperty("reviewThreshold").GetDouble());
        Assert.Equal(["primary"], before.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var flagged = (await _scoring.AnomalyKeysAsync(run, PaymentBatches.KeyColumn)).Order().ToList();
        Assert.Equal(flaggedCount, flagged.Count);
        Assert.True(flagged.Count >= 5, $"v1 flagged {flagged.Count} records");
        var approved = Enumerable.Range(0, 1000).Select(PaymentBatches.Id).First(id => !flagged.Contains(id));

        using (var confirmed = await _lifecycle.FeedbackAsync(run, "true_anomaly", flagged[0], flagged[1], new Dictionary<string, string> { [PaymentBatches.KeyColumn] = flagged[2] }, approved))
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        using (var falseAlarms = await _lifecycle.FeedbackAsync(run, "false_alarm", flagged[3], flagged[4]))
            Assert.Equal(2, (await falseAlarms.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").GetInt32());

        var after = (await _lifecycle.PerformanceAsync(dataset))[1];
        Assert.Equal((3, 2, 1), (after.GetProperty("confirmedAnomalies").GetInt64(), after.GetProperty("falseAlarms").GetInt64(), after.GetProperty("missedAnomalies").GetInt64()));
        Assert.Equal((0.6, 0.75), (after.GetProperty("precision").GetDouble(), after.GetProperty("recall").GetDouble()));

        // A later verdict on a record replaces the earlier one.
        using (var changed = await _lifecycle.FeedbackAsync(run, "true_anomaly", flagged[4]))
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var changedRow = (await _lifecycle.PerformanceAsync(dataset))[1];
        Assert.Equal((4, 1), (changedRow.GetProperty("confirmedAnomalies").GetInt64(), changedRow.GetProperty("falseAlarms").GetInt64()));

        // Keys not in the run: 422 listing them, and nothing written (the known key beside them is not recorded either).
        using var unknown = await _lifecycle.FeedbackAsync(run, "false_alarm", flagged[0], "p-99999", new Dictionary<string, string> { [PaymentBatches.KeyColumn] = "nope" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["p-99999", "nope"], problem.GetProperty("missingKeys").EnumerateArray().Select(k => k.GetProperty(PaymentBatches.KeyColumn).GetString()));
        var unchanged = (await _lifecycle.PerformanceAsync(dataset))[1];
        Assert.Equal((4, 1), (unchanged.GetProperty("confirmedAnomalies").GetInt64(), unchanged.GetProperty("falseAlarms").GetInt64()));

        // Other bad feedback: a verdict outside the two, no keys, a key naming another column, a run never scored.
        await AssertProblemAsync(await _lifecycle.FeedbackAsync(run, "maybe", flagged[0]), HttpStatusCode.BadRequest, "verdict");
        await AssertProblemAsync(await _lifecycle.FeedbackAsync(run, "true_anomaly"), HttpStatusCode.BadRequest, "keys");
        await AssertProblemAsync(await _lifecycle.FeedbackAsync(run, "true_anomaly", new { id = "p-00001" }), HttpStatusCode.BadRequest, "payment_id");
        await AssertProblemAsync(await _lifecycle.FeedbackAsync(Guid.NewGuid(), "true_anomaly", "p-00001"), HttpStatusCode.NotFound, "has not reached scoring");
    }

    [Theory]
    [InlineData("from=2026-12-05&to=2026-12-01", "is after")]
    [InlineData("from=yesterday", "'from' must be a date")]
    [InlineData("from=2026-01-01&to=2026-13-01", "'to' must be a date")]
    [InlineData("from=2024-01-01&to=2026-01-01", "at most 366 days")]
    public async Task A_bad_performance_range_gets_problem_json_saying_why(string query, string detail)
    {
        await AssertProblemAsync(await fixture.Gateway.GetAsync($"/api/datasets/tests.any/models/performance?{query}"), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task A_policy_with_out_of_range_or_unknown_values_is_refused_and_the_stored_policy_is_unchanged()
    {
        var dataset = $"tests.policy_{Guid.NewGuid():n}"[..28];
        var policyUrl = $"/api/datasets/{dataset}/models/policy";

        using var outOfRange = await fixture.Gateway.PutAsJsonAsync(policyUrl, new { autoPromote = true, psiThreshold = -1, minShadowBatches = 0 });
        await AssertProblemAsync(outOfRange, HttpStatusCode.BadRequest, "out of range", body =>
            Assert.Equal(["minShadowBatches", "psiThreshold"], body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order()));
        await AssertProblemAsync(await fixture.Gateway.PutAsJsonAsync(policyUrl, new { psiTreshold = 0.3 }), HttpStatusCode.BadRequest, "psiTreshold");
        await AssertProblemAsync(await fixture.Gateway.PutAsJsonAsync(policyUrl, new { minShadowBatches = "three" }), HttpStatusCode.BadRequest, "minShadowBatches");

        var stored = await fixture.Gateway.GetFromJsonAsync<JsonElement>(policyUrl);
        Assert.False(stored.GetProperty("autoPromote").GetBoolean());
        Assert.Equal(3, stored.GetProperty("minShadowBatches").GetInt32());
        Assert.Empty(await _lifecycle.EventsAsync(dataset));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail, Action<JsonElement>? more = null)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, body);
            more?.Invoke(JsonDocument.Parse(body).RootElement);
        }
    }
}
