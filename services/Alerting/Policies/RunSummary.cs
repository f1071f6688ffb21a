using Vigil.Contracts;

namespace Vigil.Alerting.Policies;

/// <summary>
/// The run as every alert message shows it: dataset, execution date, DQ score, records per decision, the top anomalies
/// with their top features, links to the reports, and the device that scored it.
/// </summary>
public sealed record RunSummary
{
    /// <summary>Anomalies a message lists, highest risk first.</summary>
    public const int TopAnomaliesShown = 5;

    /// <summary>Device shown when the run never reached scoring.</summary>
    public const string NotScored = "not scored";

    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public DateOnly? ExecutionDate { get; init; }

    /// <summary><c>completed</c>, <c>failed</c> or <c>running</c> (a stuck run).</summary>
    public required string Status { get; init; }
    public double? DqScore { get; init; }
    public int RulesFailed { get; init; }
    public bool HasBreakingDrift { get; init; }
    public long? RowCount { get; init; }
    public long? AnomalyCount { get; init; }
    public required DecisionSummary Decisions { get; init; }
    public IReadOnlyList<AnomalySummary> TopAnomalies { get; init; } = [];

    /// <summary>The most drifted features (PSI), highest first.</summary>
    public IReadOnlyDictionary<string, double> FeatureDrift { get; init; } = new Dictionary<string, double>();

    /// <summary>Report kind -> absolute link through the gateway.</summary>
    public IReadOnlyDictionary<string, string> ReportLinks { get; init; } = new Dictionary<string, string>();
    public required string Device { get; init; }
    public string? ModelVersion { get; init; }
    public FailureSummary? Failure { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    public static RunSummary From(RunFacts run, string publicBaseUrl)
    {
        var baseUrl = publicBaseUrl.TrimEnd('/');
        return new RunSummary
        {
            RunId = run.RunId,
            Dataset = run.Dataset,
            ExecutionDate = run.ExecutionDate,
            Status = run.State switch { RunState.Completed => "completed", RunState.Failed => "failed", _ => "running" },
            DqScore = run.DqScore is { } score ? Math.Round(score, 2) : null,
            RulesFailed = run.RulesFailed,
            HasBreakingDrift = run.HasBreakingDrift,
            RowCount = run.RowCount,
            AnomalyCount = run.AnomalyCount,
            Decisions = new DecisionSummary(Count(run, Contracts.Decisions.Approve), Count(run, Contracts.Decisions.Review), Count(run, Contracts.Decisions.Block)),
            TopAnomalies = [.. run.TopAnomalies
                .OrderByDescending(a => a.Risk).ThenBy(a => a.Row)
                .Take(TopAnomaliesShown)
                .Select(a => new AnomalySummary(a.Row, a.Key, Math.Round(a.Risk, 1), a.Decision, a.TopFeatures))],
            FeatureDrift = run.FeatureDrift
                .OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal)
                .Take(PolicyEvaluator.DriftedFeaturesListed)
                .ToDictionary(f => f.Key, f => Math.Round(f.Value, 4)),
            ReportLinks = run.ReportKeys.Keys
                .Order(StringComparer.Ordinal)
                .ToDictionary(kind => kind, kind => $"{baseUrl}/api/runs/{run.RunId}/reports/{Uri.EscapeDataString(kind)}"),
            Device = run.Device ?? NotScored,
            ModelVersion = run.ModelVersion,
            Failure = run.State == RunState.Failed ? new FailureSummary(run.FailedStage ?? "unknown", run.FailureReason ?? "") : null,
            StartedAt = run.StartedAt,
        };
    }

    private static long Count(RunFacts run, string decision) => run.DecisionCounts.TryGetValue(decision, out var count) ? count : 0;
}

/// <summary>Records per ensemble decision.</summary>
public sealed record DecisionSummary(long Approve, long Review, long Block);

/// <summary>One of the riskiest records: its key, risk 0-100, decision and the features that made it stand out.</summary>
public sealed record AnomalySummary(long Row, IReadOnlyDictionary<string, string?> Key, double Risk, string Decision, IReadOnlyList<string> TopFeatures);

/// <summary>Where and why a run failed.</summary>
public sealed record FailureSummary(string Stage, string Reason);
