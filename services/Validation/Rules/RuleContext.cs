namespace Vigil.Validation.Rules;

/// <summary>What rules need to know about the batch besides its rows.</summary>
public sealed record RuleContext
{
    /// <summary>The batch's execution date; freshness windows end at the end of this day (UTC).</summary>
    public required DateOnly ExecutionDate { get; init; }

    /// <summary>The dataset's key columns; samples show their values so a failing row can be found.</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>Row count of the dataset's previous run, for row_count rules with maxChangeRatio.</summary>
    public long? PreviousRowCount { get; init; }

    /// <summary>Failing rows shown per rule (the first ones, in row order).</summary>
    public int MaxSamples { get; init; } = 10;

    /// <summary>Keep every failing row's index in <see cref="RuleResult.FailingRowIndexes"/> (for the defects report), not only the samples.</summary>
    public bool CollectFailingRows { get; init; }

    /// <summary>Worker threads for evaluation; all cores when null.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
