using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// What the pipeline learnt about one column at training: exactly what is stored in its JSON, and all that
/// <see cref="ColumnEncoder"/> needs to encode the column the same way later.
/// </summary>
internal sealed record ColumnSpec
{
    public required string Column { get; init; }

    public required FeatureEncoding Encoding { get; init; }

    /// <summary>The column's type in the training table (for messages and for compatibility checks).</summary>
    public required ColumnType TrainedType { get; init; }

    /// <summary>Whether the column had missing values at training and gets an "is null" feature.</summary>
    public bool NullIndicator { get; init; }

    /// <summary>Numeric: the training median (the imputed value; scaled to 0).</summary>
    public double? Median { get; init; }

    /// <summary>Numeric: the divisor, the IQR (or the standard deviation when the IQR is 0, or 1 for a constant column).</summary>
    public double? Scale { get; init; }

    /// <summary>Boolean: the share of true values at training, imputed for missing values.</summary>
    public double? TrueShare { get; init; }

    /// <summary>One-hot: the top-K values; frequency: the kept values. Most frequent first (the first is the imputed value).</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Training counts of <see cref="Values"/>.</summary>
    public IReadOnlyList<long>? Counts { get; init; }

    /// <summary>Text: non-null values at training (the denominator of frequencies).</summary>
    public long? NonNullCount { get; init; }

    /// <summary>Frequency: rows whose value was left out of <see cref="Values"/>, and how many distinct values those were.</summary>
    public long? OtherCount { get; init; }

    public long? OtherDistinct { get; init; }

    /// <summary>Checks a spec read from JSON, so that a damaged model fails on load rather than while scoring.</summary>
    public void Validate()
    {
        string? problem = Encoding switch
        {
            FeatureEncoding.Numeric when Median is not { } m || !double.IsFinite(m) => "a finite median",
            FeatureEncoding.Numeric when Scale is not ({ } s and > 0) || !double.IsFinite(Scale.Value) => "a positive scale",
            FeatureEncoding.Boolean when TrueShare is not (>= 0 and <= 1) => "a true share in [0, 1]",
            FeatureEncoding.OneHot or FeatureEncoding.Frequency when Values is not { Count: > 0 } || Counts?.Count != Values.Count
                => "values with one count each",
            FeatureEncoding.OneHot or FeatureEncoding.Frequency when NonNullCount is not > 0 => "a positive non-null count",
            FeatureEncoding.Frequency when OtherCount is not >= 0 || OtherDistinct is not >= 0 => "counts of the values left out",
            _ => null,
        };
        if (problem is not null)
            throw new InvalidDataException($"The stored feature pipeline's {Encoding} encoding of column '{Column}' lacks {problem}.");
        if (Values is not null && Values.Distinct(StringComparer.Ordinal).Count() != Values.Count)
            throw new InvalidDataException($"The stored feature pipeline lists a value of column '{Column}' twice.");
    }
}
