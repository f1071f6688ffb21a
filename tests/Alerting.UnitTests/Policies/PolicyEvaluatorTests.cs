using Vigil.Alerting.Policies;
using Vigil.Contracts;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Policies;

public sealed class PolicyEvaluatorTests
{
    private static readonly RunFacts Completed = RunFacts.FromScored(Scored());

    [Fact]
    public void Dq_score_below_the_threshold_fires_with_score_and_threshold_named()
    {
        var fired = Assert.Single(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.DqScoreBelow, 80, severity: Severity.Critical)), Completed));

        Assert.Equal(ConditionKinds.DqScoreBelow, fired.Kind);
        Assert.Equal(Severity.Critical, fired.Severity);
        Assert.Equal("DQ score 71.234 is below 80.", fired.Detail);
        Assert.Equal("dq_score_below:80", fired.Key);
    }

    [Theory]
    [InlineData(71.234)]
    [InlineData(50)]
    public void Dq_score_at_or_above_the_threshold_does_not_fire(double threshold) =>
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.DqScoreBelow, threshold)), Completed));

    [Fact]
    public void Dq_score_condition_ignores_runs_without_a_score() =>
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.DqScoreBelow, 80)), RunFacts.FromScored(Scored(s => s with { DqScore = null }))));

    [Theory]
    [InlineData(null, true)]
    [InlineData(3d, true)]
    [InlineData(4d, false)]
    public void Rule_failures_fire_from_one_failed_rule_or_the_given_count(double? threshold, bool fires)
    {
        var fired = PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.RulesFailed, threshold)), Completed);

        Assert.Equal(fires, fired.Count == 1);
        if (fires) Assert.Equal("3 rules failed.", fired[0].Detail);
    }

    [Fact]
    public void Breaking_drift_fires_for_a_completed_run_that_carried_it_under_warn()
    {
        var run = RunFacts.FromScored(Scored(s => s with { HasBreakingDrift = true }));

        var fired = Assert.Single(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.BreakingDrift)), run));

        Assert.Contains("'warn'", fired.Detail);
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.BreakingDrift)), Completed));
    }

    [Fact]
    public void Breaking_drift_fires_for_a_run_that_validation_blocked_for_it()
    {
        var run = RunFacts.FromFailed(Failed(reason: "Breaking schema drift under policy 'block': column 'currency' is missing"));

        var fired = PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.BreakingDrift), Condition(ConditionKinds.RunFailed)), run);

        Assert.Equal([ConditionKinds.BreakingDrift, ConditionKinds.RunFailed], fired.Select(f => f.Kind));
        Assert.Contains("column 'currency' is missing", fired[0].Detail);
    }

    [Fact]
    public void Anomaly_rate_above_the_threshold_fires_with_counts_and_percentages()
    {
        var fired = Assert.Single(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.AnomalyRateAbove, 0.02)), Completed));

        Assert.Equal("40 of 1000 records are anomalous (4%), above 2%.", fired.Detail);
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.AnomalyRateAbove, 0.04)), Completed));
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.AnomalyRateAbove, 0)), RunFacts.FromScored(Scored(s => s with { RowCount = 0, AnomalyCount = 0 }))));
    }

    [Fact]
    public void Any_block_decision_fires_and_none_does_not()
    {
        var fired = Assert.Single(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.BlockDecision)), Completed));
        Assert.Equal("3 records were decided 'block'.", fired.Detail);

        var noBlocks = RunFacts.FromScored(Scored(s => s with { DecisionCounts = new Dictionary<string, long> { [Decisions.Approve] = 1000, [Decisions.Block] = 0 } }));
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.BlockDecision)), noBlocks));
    }

    [Fact]
    public void Feature_drift_lists_the_features_above_the_threshold_highest_first()
    {
        var fired = Assert.Single(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.FeatureDriftAbove, 0.25)), Completed));

        Assert.Equal("Feature drift (PSI) above 0.25: amount 0.41, velocity 0.27.", fired.Detail);
        Assert.Empty(PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.FeatureDriftAbove, 0.41)), Completed));
    }

    [Fact]
    public void Run_failed_fires_only_for_failed_runs_with_stage_and_reason()
    {
        var policy = Policy(Condition(ConditionKinds.RunFailed, severity: Severity.Critical));

        var fired = Assert.Single(PolicyEvaluator.Evaluate(policy, RunFacts.FromFailed(Failed())));

        Assert.Equal("The run failed in validate: The batch has a header but no rows.", fired.Detail);
        Assert.Empty(PolicyEvaluator.Evaluate(policy, Completed));
    }

    [Fact]
    public void Outcome_conditions_do_not_fire_for_a_failed_run()
    {
        var policy = Policy(Condition(ConditionKinds.DqScoreBelow, 100), Condition(ConditionKinds.RulesFailed), Condition(ConditionKinds.AnomalyRateAbove, 0),
            Condition(ConditionKinds.BlockDecision), Condition(ConditionKinds.FeatureDriftAbove, 0));

        Assert.Empty(PolicyEvaluator.Evaluate(policy, RunFacts.FromFailed(Failed())));
        Assert.Equal(5, PolicyEvaluator.Evaluate(policy, Completed).Count);
    }

    [Fact]
    public void Run_not_completed_within_fires_only_for_a_stuck_run_open_at_least_that_long()
    {
        var policy = Policy(Condition(ConditionKinds.RunNotCompletedWithin, within: TimeSpan.FromMinutes(30)));
        var started = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

        var fired = Assert.Single(PolicyEvaluator.Evaluate(policy, RunFacts.Stuck(RunId, Dataset, ExecutionDate, started, started.AddMinutes(42))));

        Assert.Equal("The run has not completed within 30m 0s: it started 42m 0s ago and is still open.", fired.Detail);
        Assert.Empty(PolicyEvaluator.Evaluate(policy, RunFacts.Stuck(RunId, Dataset, ExecutionDate, started, started.AddMinutes(29))));
        Assert.Empty(PolicyEvaluator.Evaluate(policy, Completed));
    }

    [Fact]
    public void Stuck_runs_fire_nothing_but_the_stuck_condition()
    {
        var started = DateTimeOffset.UnixEpoch;
        var stuck = RunFacts.Stuck(RunId, Dataset, ExecutionDate, started, started.AddHours(3));
        var policy = Policy([.. ConditionKinds.All.Select(kind => Condition(kind,
            ConditionKinds.TakesThreshold(kind) ? (kind == ConditionKinds.DqScoreBelow ? 100 : 1) : null,
            kind == ConditionKinds.RunNotCompletedWithin ? TimeSpan.FromHours(1) : null))]);

        var fired = Assert.Single(PolicyEvaluator.Evaluate(policy, stuck));

        Assert.Equal(ConditionKinds.RunNotCompletedWithin, fired.Kind);
        Assert.Contains("3h 0m", fired.Detail);
    }

    [Fact]
    public void Highest_severity_wins_and_info_is_the_floor()
    {
        var fired = PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.DqScoreBelow, 80, severity: Severity.Info),
            Condition(ConditionKinds.BlockDecision, severity: Severity.Critical), Condition(ConditionKinds.RulesFailed)), Completed);

        Assert.Equal(Severity.Critical, PolicyEvaluator.Highest(fired));
        Assert.Equal(Severity.Info, PolicyEvaluator.Highest([]));
    }
}
