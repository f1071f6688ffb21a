namespace Vigil.Scoring.Features;

/// <summary>Which columns become features and how text columns are encoded; stored with the fitted pipeline.</summary>
public sealed record FeaturePipelineOptions
{
    /// <summary>
    /// The columns to use, in this order; null for every column of the training table (in table order) except the
    /// excluded ones and id-like text columns. A listed column is used even when it looks like an id.
    /// </summary>
    public IReadOnlyList<string>? IncludeColumns { get; init; }

    /// <summary>Columns never used (keys, ids, labels). Exclusion wins over inclusion.</summary>
    public IReadOnlyList<string> ExcludeColumns { get; init; } = [];

    /// <summary>A text column with at most this many distinct values is one-hot encoded; above, frequency-encoded.</summary>
    public int OneHotMaxCategories { get; init; } = 20;

    /// <summary>One-hot features per text column: the most frequent values; the rest (and unseen values) go to "(other)".</summary>
    public int TopK { get; init; } = 15;

    /// <summary>Adds a 0/1 "is null" feature for each column that had missing values in the training table.</summary>
    public bool NullIndicators { get; init; } = true;

    /// <summary>
    /// A text column (not listed in <see cref="IncludeColumns"/>) whose share of distinct non-null values exceeds this,
    /// and which has more distinct values than <see cref="OneHotMaxCategories"/>, is taken for an id and skipped.
    /// </summary>
    public double IdLikeDistinctRatio { get; init; } = 0.9;

    /// <summary>
    /// Most values whose frequency a frequency-encoded column keeps; rarer values share the mean frequency of those
    /// left out, so the stored model stays small for columns with very many distinct values.
    /// </summary>
    public int FrequencyMaxValues { get; init; } = 10_000;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ExcludeColumns);
        if (OneHotMaxCategories < 1) throw new ArgumentOutOfRangeException(nameof(OneHotMaxCategories), OneHotMaxCategories, "At least 1.");
        if (TopK < 1) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "At least 1.");
        if (FrequencyMaxValues < 1) throw new ArgumentOutOfRangeException(nameof(FrequencyMaxValues), FrequencyMaxValues, "At least 1.");
        if (!(IdLikeDistinctRatio is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(IdLikeDistinctRatio), IdLikeDistinctRatio, "A ratio in (0, 1].");
    }
}
