using Vigil.Alerting.Policies;
using Vigil.Contracts;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Policies;

public sealed class RunSummaryTests
{
    [Fact]
    public void Summary_of_a_scored_run_carries_score_decisions_device_and_absolute_report_links()
    {
        var summary = RunSummary.From(RunFacts.FromScored(Scored()), "https://vigil.example.com/");

        Assert.Equal(Dataset, summary.Dataset);
        Assert.Equal(ExecutionDate, summary.ExecutionDate);
        Assert.Equal("completed", summary.Status);
        Assert.Equal(71.23, summary.DqScore);
        Assert.Equal(new DecisionSummary(960, 37, 3), summary.Decisions);
        Assert.Equal(Gpu, summary.Device);
        Assert.Equal("v3", summary.ModelVersion);
        Assert.Equal(new Dictionary<string, string>
        {
            [ReportKinds.Anomalies] = $"https://vigil.example.com/api/runs/{RunId}/reports/anomalies",
            [ReportKinds.Defects] = $"https://vigil.example.com/api/runs/{RunId}/reports/defects",
            [ReportKinds.Validation] = $"https://vigil.example.com/api/runs/{RunId}/reports/validation",
        }, summary.ReportLinks);
    }

    [Fact]
    public void Top_anomalies_are_ordered_by_risk_with_their_keys_and_top_features()
    {
        var summary = RunSummary.From(RunFacts.FromScored(Scored()), "http://127.0.0.1:5080");

        Assert.Equal([42L, 7L, 17L], summary.TopAnomalies.Select(a => a.Row));
        var top = summary.TopAnomalies[0];
        Assert.Equal("t-0042", top.Key["transaction_id"]);
        Assert.Equal(97.3, top.Risk);
        Assert.Equal(Decisions.Block, top.Decision);
        Assert.Equal(["amount", "amount_vs_entity_mean"], top.TopFeatures);
    }

    [Fact]
    public void At_most_five_anomalies_and_five_drifted_features_are_shown()
    {
        var many = Scored(s => s with
        {
            TopAnomalies = [.. Enumerable.Range(0, 8).Select(i => Anomaly(i, $"t-{i}", 50 + i, Decisions.Review, "amount"))],
            FeatureDrift = Enumerable.Range(0, 8).ToDictionary(i => $"f{i}", i => i / 10d),
        });

        var summary = RunSummary.From(RunFacts.FromScored(many), "http://127.0.0.1:5080");

        Assert.Equal([7L, 6L, 5L, 4L, 3L], summary.TopAnomalies.Select(a => a.Row));
        Assert.Equal(["f7", "f6", "f5", "f4", "f3"], summary.FeatureDrift.Keys);
    }

    [Fact]
    public void A_failed_run_shows_where_it_failed_and_that_it_was_not_scored()
    {
        var summary = RunSummary.From(RunFacts.FromFailed(Failed(), ExecutionDate), "http://127.0.0.1:5080");

        Assert.Equal("failed", summary.Status);
        Assert.Equal(new FailureSummary(Stages.Validate, "The batch has a header but no rows."), summary.Failure);
        Assert.Equal(RunSummary.NotScored, summary.Device);
        Assert.Equal(ExecutionDate, summary.ExecutionDate);
        Assert.Equal(new DecisionSummary(0, 0, 0), summary.Decisions);
        Assert.Equal([$"http://127.0.0.1:5080/api/runs/{RunId}/reports/validation"], summary.ReportLinks.Values);
    }

    [Fact]
    public void Blocked_breaking_drift_is_recognised_only_from_validation()
    {
        const string reason = "Breaking schema drift under policy 'block': column 'currency' is missing";

        Assert.True(RunFacts.FromFailed(Failed(Stages.Validate, reason)).HasBreakingDrift);
        Assert.False(RunFacts.FromFailed(Failed(Stages.Score, reason)).HasBreakingDrift);
        Assert.False(RunFacts.FromFailed(Failed()).HasBreakingDrift);
    }

    [Fact]
    public void A_scored_run_keeps_its_own_anomalies_report_over_the_single_report_key()
    {
        var run = RunFacts.FromScored(Scored(s => s with
        {
            ReportKeys = new Dictionary<string, string> { [ReportKinds.Anomalies] = "reports/own.json" },
            ReportKey = "reports/other.json",
        }));

        Assert.Equal("reports/own.json", Assert.Single(run.ReportKeys).Value);
    }
}
