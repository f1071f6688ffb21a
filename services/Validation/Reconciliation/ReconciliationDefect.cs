namespace Vigil.Validation.Reconciliation;

/// <summary>
/// One defect as <see cref="ReconciliationResult.EnumerateDefects"/> yields it: the 0-based data rows it concerns on
/// each side (null where the side has no row) and, for value defects, the column.
/// </summary>
public readonly record struct ReconciliationDefect(DefectKind Kind, int? SourceRow, int? TargetRow, string? Column);
