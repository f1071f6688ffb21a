using Vigil.Contracts;

namespace Vigil.Lineage.Storage;

/// <summary>What one event says about a run: the stage it finished and whatever run facts it carries.</summary>
public sealed record RunUpdate(Guid RunId, string Dataset, StageTiming Stage, RunStatus Status)
{
    public DateOnly? ExecutionDate { get; init; }
    public string? ObjectKey { get; init; }

    /// <summary>The source object of a reconciliation (its target is <see cref="ObjectKey"/>).</summary>
    public string? SourceObjectKey { get; init; }
    public long? SizeBytes { get; init; }
    public long? RowCount { get; init; }
    public long? AnomalyCount { get; init; }
    public IReadOnlyDictionary<string, long>? DecisionCounts { get; init; }
    public string? Device { get; init; }
    public string? ModelVersion { get; init; }
    public string? FailureReason { get; init; }

    /// <summary>A note on the stage that is not a failure (a redriven announcement); a failure's reason takes its place.</summary>
    public string? StageNote { get; init; }
    public ValidationFacts? Validation { get; init; }
    public IReadOnlyDictionary<string, string> Reports { get; init; } = new Dictionary<string, string>();
}

/// <summary>What validation reported for the run.</summary>
public sealed record ValidationFacts(double? DqScore, IReadOnlyDictionary<string, double> DqDimensions, int RulesFailed, int RulesChecked,
    IReadOnlyList<string> Drift, ReconciliationSummary? Reconciliation, int DatasetVersion);

public enum RunStatus { Running, Completed, Failed }
