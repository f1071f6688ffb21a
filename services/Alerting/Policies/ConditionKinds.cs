namespace Vigil.Alerting.Policies;

/// <summary>The conditions a policy can watch for, as written in its JSON (<c>"kind": "dq_score_below"</c>).</summary>
public static class ConditionKinds
{
    /// <summary>The run's DQ score (0-100) is below <c>threshold</c>.</summary>
    public const string DqScoreBelow = "dq_score_below";

    /// <summary>At least <c>threshold</c> rules failed (1 when left out).</summary>
    public const string RulesFailed = "rules_failed";

    /// <summary>Validation found breaking schema drift (reported under <c>warn</c>, or the run blocked under <c>block</c>).</summary>
    public const string BreakingDrift = "breaking_drift";

    /// <summary>Anomalous records / all records is above <c>threshold</c> (a fraction, 0-1).</summary>
    public const string AnomalyRateAbove = "anomaly_rate_above";

    /// <summary>The ensemble decided <c>block</c> for at least one record.</summary>
    public const string BlockDecision = "block_decision";

    /// <summary>Some feature's population stability index (PSI) is above <c>threshold</c>.</summary>
    public const string FeatureDriftAbove = "feature_drift_above";

    /// <summary>The run failed in any stage.</summary>
    public const string RunFailed = "run_failed";

    /// <summary>The run has not completed (nor failed) <c>within</c> this long after it started.</summary>
    public const string RunNotCompletedWithin = "run_not_completed_within";

    public static readonly IReadOnlyList<string> All =
        [DqScoreBelow, RulesFailed, BreakingDrift, AnomalyRateAbove, BlockDecision, FeatureDriftAbove, RunFailed, RunNotCompletedWithin];

    /// <summary>Kinds that compare against a <c>threshold</c>, and whether one must be given.</summary>
    public static bool NeedsThreshold(string kind) => kind is DqScoreBelow or AnomalyRateAbove or FeatureDriftAbove;

    public static bool TakesThreshold(string kind) => NeedsThreshold(kind) || kind == RulesFailed;
}
