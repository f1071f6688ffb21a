namespace Vigil.Validation.Rules;

/// <summary>The outcome of every rule on one batch, in the order the rules were given.</summary>
public sealed record RuleReport(IReadOnlyList<RuleResult> Results, long RowCount, double ElapsedMilliseconds)
{
    /// <summary>True when no rule of severity error failed (failed warnings do not fail the batch).</summary>
    public bool Passed => Results.All(r => r.Passed || r.Severity == RuleSeverity.Warning);

    public int FailedErrors => Results.Count(r => !r.Passed && r.Severity == RuleSeverity.Error);

    public int FailedWarnings => Results.Count(r => !r.Passed && r.Severity == RuleSeverity.Warning);
}

/// <summary>One rule's outcome.</summary>
public sealed record RuleResult
{
    public required string Name { get; init; }
    public required RuleKind Kind { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required RuleSeverity Severity { get; init; }
    public required bool Passed { get; init; }

    /// <summary>Rows that break the rule (0 for table-level rules such as row_count, and for rules that could not run).</summary>
    public required long FailingRows { get; init; }

    /// <summary>Rows the rule applied to (nulls are not checked by value rules; unknown expression rows are not checked).</summary>
    public required long CheckedRows { get; init; }

    /// <summary>The first failing rows, in row order.</summary>
    public required IReadOnlyList<RuleSample> Samples { get; init; }

    public required string Message { get; init; }

    /// <summary>Zero-based indexes of every failing row, in order; filled only with <see cref="RuleContext.CollectFailingRows"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> FailingRowIndexes { get; init; } = [];
}

/// <summary>
/// A failing row: its one-based data row number, the dataset's key values and the rule's column values, as invariant
/// text (null where the value is null).
/// </summary>
public sealed record RuleSample(long Row, IReadOnlyDictionary<string, string?> Keys, IReadOnlyDictionary<string, string?> Values);
