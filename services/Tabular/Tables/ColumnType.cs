namespace Vigil.Tabular.Tables;

/// <summary>The type a column is inferred to have from a batch's values.</summary>
public enum ColumnType
{
    Integer,
    Decimal,
    Boolean,
    Timestamp,
    String,
    /// <summary>Text with few distinct values, stored dictionary-encoded.</summary>
    Categorical,
}
