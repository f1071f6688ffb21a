using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>How the values of one column pair are compared, decided from the two sides' types.</summary>
internal enum ComparisonMode
{
    Integer,
    Decimal,
    /// <summary>Integer on one side, decimal on the other.</summary>
    MixedNumeric,
    Boolean,
    Timestamp,
    Categorical,
    /// <summary>String or categorical on both sides (not both categorical).</summary>
    Text,
    /// <summary>Any other mix of types: compared by invariant text.</summary>
    InvariantText,
}

internal static class ComparisonModes
{
    public static ComparisonMode Resolve(ColumnType source, ColumnType target) => (source, target) switch
    {
        (ColumnType.Integer, ColumnType.Integer) => ComparisonMode.Integer,
        (ColumnType.Decimal, ColumnType.Decimal) => ComparisonMode.Decimal,
        (ColumnType.Integer or ColumnType.Decimal, ColumnType.Integer or ColumnType.Decimal) => ComparisonMode.MixedNumeric,
        (ColumnType.Boolean, ColumnType.Boolean) => ComparisonMode.Boolean,
        (ColumnType.Timestamp, ColumnType.Timestamp) => ComparisonMode.Timestamp,
        (ColumnType.Categorical, ColumnType.Categorical) => ComparisonMode.Categorical,
        (ColumnType.String or ColumnType.Categorical, ColumnType.String or ColumnType.Categorical) => ComparisonMode.Text,
        _ => ComparisonMode.InvariantText,
    };

    /// <summary>The mismatch to report for a column pair, or null when the types agree (string/categorical agree).</summary>
    public static ColumnTypeMismatch? Mismatch(Column source, Column target) => Resolve(source.Type, target.Type) switch
    {
        ComparisonMode.MixedNumeric => new(source.Name, source.Type, target.Type, ComparisonBasis.Numeric),
        ComparisonMode.InvariantText => new(source.Name, source.Type, target.Type, ComparisonBasis.Text),
        _ => null,
    };
}
