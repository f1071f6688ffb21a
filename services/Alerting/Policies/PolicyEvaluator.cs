using System.Globalization;
using Vigil.Contracts;

namespace Vigil.Alerting.Policies;

/// <summary>Which of a policy's conditions hold for a run. Pure: no clock, no I/O.</summary>
public static class PolicyEvaluator
{
    /// <summary>Feature names listed in a feature-drift detail, highest PSI first.</summary>
    public const int DriftedFeaturesListed = 5;

    public static IReadOnlyList<FiredCondition> Evaluate(PolicyDefinition policy, RunFacts run) =>
        [.. policy.Conditions.Select(c => Check(c, run)).OfType<FiredCondition>()];

    public static FiredCondition? Check(AlertCondition condition, RunFacts run)
    {
        var detail = condition.Kind switch
        {
            ConditionKinds.DqScoreBelow when run.State == RunState.Completed
                && run.DqScore is { } score && condition.Threshold is { } limit && score < limit
                => $"DQ score {Format(score)} is below {Format(limit)}.",
            ConditionKinds.RulesFailed when run.State == RunState.Completed && run.RulesFailed >= (condition.Threshold ?? 1)
                => run.RulesFailed == 1 ? "1 rule failed." : $"{run.RulesFailed} rules failed.",
            ConditionKinds.BreakingDrift when run.HasBreakingDrift && run.State == RunState.Completed
                => "Breaking schema drift was found; the run went on under the 'warn' drift policy.",
            ConditionKinds.BreakingDrift when run.HasBreakingDrift && run.State == RunState.Failed
                => $"Breaking schema drift blocked the run: {run.FailureReason}",
            ConditionKinds.AnomalyRateAbove when run.State == RunState.Completed
                && AnomalyRate(run) is { } rate && condition.Threshold is { } limit && rate > limit
                => $"{run.AnomalyCount} of {run.RowCount} records are anomalous ({FormatPercent(rate)}), above {FormatPercent(limit)}.",
            ConditionKinds.BlockDecision when run.State == RunState.Completed && Blocked(run) is > 0 and var blocked
                => blocked == 1 ? "1 record was decided 'block'." : $"{blocked} records were decided 'block'.",
            ConditionKinds.FeatureDriftAbove when run.State == RunState.Completed && condition.Threshold is { } limit
                && Drifted(run, limit) is { Count: > 0 } drifted
                => $"Feature drift (PSI) above {Format(limit)}: {string.Join(", ", drifted.Take(DriftedFeaturesListed).Select(f => $"{f.Key} {Format(f.Value)}"))}"
                   + (drifted.Count > DriftedFeaturesListed ? $" and {drifted.Count - DriftedFeaturesListed} more." : "."),
            ConditionKinds.RunFailed when run.State == RunState.Failed
                => $"The run failed in {run.FailedStage}: {run.FailureReason}",
            ConditionKinds.RunNotCompletedWithin when run.State == RunState.Stuck
                && run.OpenFor is { } open && condition.Within is { } within && open >= within
                => $"The run has not completed within {FormatDuration(within)}: it started {FormatDuration(open)} ago and is still open.",
            _ => null,
        };
        return detail is null ? null : new FiredCondition(condition.Kind, condition.Key, condition.Severity, detail);
    }

    /// <summary>The highest severity among fired conditions.</summary>
    public static Severity Highest(IEnumerable<FiredCondition> fired) => fired.Select(f => f.Severity).DefaultIfEmpty(Severity.Info).Max();

    private static double? AnomalyRate(RunFacts run) =>
        run.RowCount is > 0 and var rows && run.AnomalyCount is { } anomalies ? (double)anomalies / rows : null;

    private static long Blocked(RunFacts run) => run.DecisionCounts.TryGetValue(Decisions.Block, out var count) ? count : 0;

    private static List<KeyValuePair<string, double>> Drifted(RunFacts run, double limit) =>
        [.. run.FeatureDrift.Where(f => f.Value > limit).OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal)];

    internal static string Format(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static string FormatPercent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    internal static string FormatDuration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays}d {span.Hours}h {span.Minutes}m",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours}h {span.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes}m {span.Seconds}s",
        _ => $"{Math.Max(0, span.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture)}s",
    };
}
