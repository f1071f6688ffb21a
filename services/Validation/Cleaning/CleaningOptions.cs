namespace Vigil.Validation.Cleaning;

/// <summary>What <see cref="DatasetCleaner"/> does to a batch (a dataset option).</summary>
public sealed record CleaningOptions
{
    public static readonly CleaningOptions Default = new();

    /// <summary>Drop rows equal in every column to an earlier row.</summary>
    public bool RemoveDuplicates { get; init; } = true;

    /// <summary>Fill nulls: median for integer, decimal and timestamp columns, mode for boolean, categorical and string columns.</summary>
    public bool ImputeNulls { get; init; } = true;

    /// <summary>Add a boolean <c>&lt;column&gt;&lt;<see cref="OutlierSuffix"/>&gt;</c> column after each integer and decimal column.</summary>
    public bool FlagOutliers { get; init; } = true;

    /// <summary>Outliers lie outside [Q1 - k·IQR, Q3 + k·IQR].</summary>
    public double IqrMultiplier { get; init; } = 1.5;

    public string OutlierSuffix { get; init; } = "_outlier";

    /// <summary>Columns left as they are (no imputation, no outlier flags), such as keys; they still count for duplicates.</summary>
    public IReadOnlyList<string> ExcludedColumns { get; init; } = [];
}
