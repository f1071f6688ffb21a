using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>How a source column is turned into features.</summary>
public enum FeatureEncoding
{
    /// <summary>Integer or decimal: (x - median) / IQR.</summary>
    Numeric,
    /// <summary>1 for true, 0 for false.</summary>
    Boolean,
    /// <summary>Timestamp: sine and cosine of the hour of day (minute resolution) and of the day of week, in UTC.</summary>
    CyclicTime,
    /// <summary>Text with few distinct values: one 0/1 feature per frequent value plus "(other)".</summary>
    OneHot,
    /// <summary>Text with many distinct values: the value's share of the training rows (0 for unseen values).</summary>
    Frequency,
}

/// <summary>What one feature measures of its source column.</summary>
public enum FeatureKind
{
    /// <summary>The scaled number, or the 0/1 boolean.</summary>
    Value,
    /// <summary>1 when the value is missing (null, NaN or infinite), else 0.</summary>
    NullIndicator,
    /// <summary>1 when the value is <see cref="FeatureSource.Category"/>.</summary>
    Category,
    /// <summary>1 when the value is none of the column's one-hot categories (including values unseen in training).</summary>
    OtherCategory,
    /// <summary>The value's frequency in the training table.</summary>
    Frequency,
    HourSin,
    HourCos,
    DayOfWeekSin,
    DayOfWeekCos,
}

/// <summary>Where a feature comes from: for explanations ("amount was 40 IQRs above its median").</summary>
public sealed record FeatureSource(string Feature, string Column, FeatureEncoding Encoding, FeatureKind Kind, string? Category = null)
{
    /// <summary>
    /// For a scaled number: the feature value that a source value of 0 becomes (-median / IQR), so that a detector can
    /// tell which features hold positive quantities and take their logarithm; null for every other feature.
    /// </summary>
    public double? Zero { get; init; }
}

/// <summary>A column of the training table that the pipeline does not use, and why.</summary>
public sealed record SkippedColumn(string Column, ColumnType Type, string Reason);
