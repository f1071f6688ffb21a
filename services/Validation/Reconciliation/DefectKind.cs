namespace Vigil.Validation.Reconciliation;

/// <summary>What is wrong with one record (or one value of a record) between source and target.</summary>
public enum DefectKind
{
    /// <summary>A source key that no target row has.</summary>
    MissingInTarget,

    /// <summary>A target key that no source row has.</summary>
    UnexpectedInTarget,

    /// <summary>A source row whose key an earlier source row already had; it takes no part in matching.</summary>
    DuplicateKeyInSource,

    /// <summary>A target row whose key an earlier target row already had; it takes no part in matching.</summary>
    DuplicateKeyInTarget,

    /// <summary>A value of a matched record that differs between the sides (beyond the numeric tolerance), including a null filled in.</summary>
    ChangedValue,

    /// <summary>A value of a matched record that is present in the source and null in the target.</summary>
    NullIntroduced,

    /// <summary>A source row with a null in a key column: it cannot be matched and takes no part in matching.</summary>
    NullKeyInSource,

    /// <summary>A target row with a null in a key column: it cannot be matched and takes no part in matching.</summary>
    NullKeyInTarget,
}
