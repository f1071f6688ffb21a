using System.Globalization;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>
/// The retraining loop end to end: feature drift retrains, the new version shadow-scores the next batches and the
/// dataset's policy promotes it; a version the policy refuses stays in testing with the reason.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class RetrainingLoopTests(VigilAppFixture fixture)
{
    private readonly ScoringClient _scoring = new(fixture);
    private readonly LifecycleClient _lifecycle = new(fixture);

    /// <summary>The same payments with amount and fee scaled (their relation kept): a shifted regime, not anomalies.</summary>
    private static string Scaled(string csv, double factor) =>
        string.Join('\n', csv.Split('\n').Select((line, i) =>
        {
            if (i == 0 || line.Length == 0) return line;
            var cells = line.Split(',');
            foreach (var c in new[] { 2, 3 })
                cells[c] = Math.Round(double.Parse(cells[c], CultureInfo.InvariantCulture) * factor, 2).ToString(CultureInfo.InvariantCulture);
            return string.Join(',', cells);
        }));

    private async Task<string> DatasetWithActiveV1Async()
    {
        var dataset = $"tests.retrain_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { PaymentBatches.KeyColumn } });
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(2000, seed: 11, inject: false), "2026-11-01")).RunId;
        await _scoring.TrainAsync(dataset, new { runId = clean });
        await _scoring.PromoteAsync(dataset, 1);
        return dataset;
    }

    [Fact]
    public async Task Drift_above_the_threshold_retrains_and_the_new_version_is_promoted_after_its_shadow_batches_pass_the_policy()
    {
        var dataset = await DatasetWithActiveV1Async();
        await _lifecycle.SetPolicyAsync(dataset, new
        {
            driftRetrain = true,
            psiThreshold = 0.5,
            retrainDays = 30,
            minHoursBetweenRetrains = 24,
            autoPromote = true,
            minShadowBatches = 2,
            falseAlarmBudget = 0.05,
        });

        // A batch like the training one does not retrain; one from a shifted regime does, once.
        await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 12, inject: false), "2026-11-02");
        Assert.DoesNotContain(await _lifecycle.EventsAsync(dataset), e => e.GetProperty("kind").GetString() == "retrain_triggered");
        var drifted = (await fixture.Api.CompleteCsvAsync(dataset, Scaled(PaymentBatches.Csv(2000, seed: 13, inject: false), 1.8), "2026-11-03")).RunId;
        await _lifecycle.WaitForVersionAsync(dataset, 2, TimeSpan.FromMinutes(3));
        Assert.Equal("testing", (await _lifecycle.StatusesAsync(dataset))[2]);

        // v2 shadow-scores the next two batches; after the first it waits, after the second the policy promotes it.
        var first = (await fixture.Api.CompleteCsvAsync(dataset, Scaled(PaymentBatches.Csv(1000, seed: 14, inject: false), 1.8), "2026-11-04")).RunId;
        Assert.Equal(new Dictionary<string, int> { ["primary"] = 1, ["shadow"] = 2 },
            (await _scoring.ScoresAsync(first)).ToDictionary(s => s.GetProperty("role").GetString()!, s => s.GetProperty("modelVersion").GetInt32()));
        Assert.Equal("testing", (await _lifecycle.StatusesAsync(dataset))[2]);
        var second = (await fixture.Api.CompleteCsvAsync(dataset, Scaled(PaymentBatches.Csv(1000, seed: 15, inject: false), 1.8), "2026-11-05")).RunId;
        var statuses = await _lifecycle.StatusesAsync(dataset);
        Assert.Equal(("archived", "active"), (statuses[1], statuses[2]));
        var after = await fixture.Api.WaitForRunAsync((await fixture.Api.SubmitCsvAsync(dataset, Scaled(PaymentBatches.Csv(500, seed: 16, inject: false), 1.8), "2026-11-06")).RunId);
        Assert.Equal("v2", after.ModelVersion);

        var events = (await _lifecycle.EventsAsync(dataset)).AsEnumerable().Reverse().ToList();
        var triggered = Assert.Single(events, e => e.GetProperty("kind").GetString() == "retrain_triggered");
        Assert.Equal(drifted, triggered.GetProperty("runId").GetGuid());
        // amount and fee were scaled: both are named with their PSI (either may drift more).
        Assert.Matches(@"^feature drift against model v1's training reference: PSI (?=.*\bamount \d)(?=.*\bfee \d).* above 0\.5$", triggered.GetProperty("reason").GetString());
        var retrained = Assert.Single(events, e => e.GetProperty("kind").GetString() == "retrained");
        Assert.Equal(2, retrained.GetProperty("version").GetInt32());
        Assert.Equal(3, retrained.GetProperty("details").GetProperty("trainedFromRuns").GetArrayLength()); // the three runs validated so far
        var waited = Assert.Single(events, e => e.GetProperty("kind").GetString() == "kept_in_testing");
        Assert.Equal((first, "1 of 2 shadow-scored batches so far"), (waited.GetProperty("runId").GetGuid(), waited.GetProperty("reason").GetString()));
        var promoted = Assert.Single(events, e => e.GetProperty("kind").GetString() == "promoted");
        Assert.Equal((second, 2), (promoted.GetProperty("runId").GetGuid(), promoted.GetProperty("version").GetInt32()));
        Assert.Contains("2 shadow-scored batches", promoted.GetProperty("reason").GetString());
        Assert.Equal(["policy_changed", "retrain_triggered", "retrained", "kept_in_testing", "promoted"], events.Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_version_over_the_false_alarm_budget_stays_in_testing_with_the_reason()
    {
        var dataset = await DatasetWithActiveV1Async();
        await _lifecycle.SetPolicyAsync(dataset, new { autoPromote = true, minShadowBatches = 1, falseAlarmBudget = 0.001 });
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 21, inject: false), "2026-11-02")).RunId;
        var v2 = await _scoring.TrainAsync(dataset, new { runs = new[] { clean } });
        Assert.Equal(2, v2.GetProperty("version").GetInt32());

        // Ten injected anomalies in 1000 rows: v2 flags at least 1%, ten times the budget.
        var run = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 22, inject: true), "2026-11-03")).RunId;

        Assert.Equal("testing", (await _lifecycle.StatusesAsync(dataset))[2]);
        var kept = Assert.Single(await _lifecycle.EventsAsync(dataset), e => e.GetProperty("kind").GetString() == "kept_in_testing");
        Assert.Equal((2, run), (kept.GetProperty("version").GetInt32(), kept.GetProperty("runId").GetGuid()));
        Assert.Matches(@"^flags \d+(\.\d+)?% of 1000 shadow-scored rows \(\d+ not confirmed as anomalies\), above the false-alarm budget of 0\.1%$",
            kept.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Two_batches_finishing_at_once_promote_a_version_once()
    {
        var dataset = await DatasetWithActiveV1Async();
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 41, inject: false), "2026-11-02")).RunId;
        await _scoring.TrainAsync(dataset, new { runs = new[] { clean } });
        await _lifecycle.SetPolicyAsync(dataset, new { autoPromote = true, minShadowBatches = 1, falseAlarmBudget = 0.5 });

        var runs = (await Task.WhenAll(
            fixture.Api.SubmitCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 42, inject: false), "2026-11-03"),
            fixture.Api.SubmitCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 43, inject: false), "2026-11-04"))).Select(a => a.RunId).ToArray();
        foreach (var run in runs) Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(run)).Status);

        var promoted = Assert.Single(await _lifecycle.EventsAsync(dataset), e => e.GetProperty("kind").GetString() == "promoted");
        Assert.Equal(2, promoted.GetProperty("version").GetInt32());
        Assert.Contains(promoted.GetProperty("runId").GetGuid(), runs);
        Assert.Equal(new Dictionary<int, string> { [1] = "archived", [2] = "active" }, await _lifecycle.StatusesAsync(dataset));
        // One step onto the activation history: a rollback goes back to v1, and a second finds nothing earlier.
        using (var rollback = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/rollback", null))
            Assert.Equal(System.Net.HttpStatusCode.OK, rollback.StatusCode);
        using (var again = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/rollback", null))
            Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }
}
