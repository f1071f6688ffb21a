using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>How the values of a column typed differently on the two sides are compared.</summary>
public enum ComparisonBasis
{
    /// <summary>Integer on one side, decimal on the other: compared as numbers, with the tolerance.</summary>
    Numeric,

    /// <summary>Any other pair of different types: compared by the invariant text of each value (<see cref="Column.GetText"/>).</summary>
    Text,
}

/// <summary>
/// A key or compared column whose type differs between source and target. String against categorical is not a
/// mismatch (both are text; categorical is only how repetitive text is stored).
/// </summary>
public sealed record ColumnTypeMismatch(string Column, ColumnType SourceType, ColumnType TargetType, ComparisonBasis ComparedAs);
