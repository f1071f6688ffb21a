using Vigil.Alerting.Policies;
using Vigil.Contracts;

namespace Vigil.Alerting.UnitTests;

/// <summary>Runs and policies to evaluate, built with only what a test changes.</summary>
internal static class Runs
{
    public static readonly Guid RunId = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    public const string Dataset = "banking.transactions";
    public static readonly DateOnly ExecutionDate = new(2026, 11, 20);
    public const string Gpu = "NVIDIA H100 80GB HBM3 (79.6 GiB, CUDA)";

    public static BatchScored Scored(Func<BatchScored, BatchScored>? change = null)
    {
        var scored = new BatchScored
        {
            RunId = RunId,
            Dataset = Dataset,
            ExecutionDate = ExecutionDate,
            RowCount = 1000,
            AnomalyCount = 40,
            Device = Gpu,
            ModelVersion = "v3",
            Timing = new StageTiming(Stages.Score, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(2), 1000),
            DecisionCounts = new Dictionary<string, long> { [Decisions.Approve] = 960, [Decisions.Review] = 37, [Decisions.Block] = 3 },
            TopAnomalies =
            [
                Anomaly(17, "t-0017", 88.04, Decisions.Review, "velocity"),
                Anomaly(42, "t-0042", 97.26, Decisions.Block, "amount", "amount_vs_entity_mean"),
                Anomaly(7, "t-0007", 91.5, Decisions.Block, "hour_of_day"),
            ],
            FeatureDrift = new Dictionary<string, double> { ["amount"] = 0.41, ["hour_of_day"] = 0.05, ["velocity"] = 0.27 },
            DqScore = 71.234,
            RulesFailed = 3,
            ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = "reports/v.json", [ReportKinds.Defects] = "reports/d.csv" },
            ReportKey = "reports/anomalies.json",
        };
        return change is null ? scored : change(scored);
    }

    public static ScoredAnomaly Anomaly(long row, string id, double risk, string decision, params string[] features) =>
        new(row, new Dictionary<string, string?> { ["transaction_id"] = id }, risk, decision, features);

    public static RunFailed Failed(string stage = Stages.Validate, string reason = "The batch has a header but no rows.") => new()
    {
        RunId = RunId,
        Dataset = Dataset,
        Stage = stage,
        Reason = reason,
        Timing = new StageTiming(stage, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
        ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = "reports/v.json" },
    };

    public static PolicyDefinition Policy(params AlertCondition[] conditions) => new()
    {
        Dataset = Dataset,
        Name = "oncall",
        Conditions = conditions,
        Channels = [new ChannelDefinition { Kind = ChannelKind.Webhook, Url = "https://hooks.example.com/vigil" }],
    };

    public static AlertCondition Condition(string kind, double? threshold = null, TimeSpan? within = null, Severity severity = Severity.Warning) =>
        new() { Kind = kind, Threshold = threshold, Within = within, Severity = severity };

    public static AlertMessage Alert(RunFacts? run = null, IReadOnlySet<string>? throttled = null, int suppressedSinceLast = 0)
    {
        run ??= RunFacts.FromScored(Scored());
        var policy = Policy(
            Condition(ConditionKinds.DqScoreBelow, 80, severity: Severity.Critical),
            Condition(ConditionKinds.BlockDecision),
            Condition(ConditionKinds.RunFailed, severity: Severity.Critical));
        var fired = PolicyEvaluator.Evaluate(policy, run).Select(f => f with { SuppressedSinceLast = suppressedSinceLast }).ToList();
        return AlertMessage.Compose(Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), Guid.Parse("0193a1b2-0000-7000-8000-000000000002"), "oncall",
            run, fired, throttled ?? new HashSet<string>(), "https://vigil.example.com/", new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    }
}
