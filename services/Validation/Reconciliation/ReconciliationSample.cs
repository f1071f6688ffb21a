namespace Vigil.Validation.Reconciliation;

/// <summary>
/// One record showing a defect: its key values (as text; null for a null key value), the 0-based data row on each
/// side where there is one, and for changed values and nulls introduced the columns concerned.
/// </summary>
public sealed record ReconciliationSample(
    DefectKind Kind,
    IReadOnlyDictionary<string, string?> Key,
    int? SourceRow,
    int? TargetRow,
    IReadOnlyList<ValueDifference> Differences);

/// <summary>One column of a record whose value differs; values as invariant text, null for a null value.</summary>
public sealed record ValueDifference(string Column, string? SourceValue, string? TargetValue);
