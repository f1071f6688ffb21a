using Vigil.Tabular.Tables;

namespace Vigil.Validation.Schema;

/// <summary>
/// One column's inferred type, nullability and basic profile. Which profile fields are set depends on the type:
/// <list type="bullet">
/// <item>Integer, Decimal: <see cref="Min"/>, <see cref="Max"/>, <see cref="Mean"/>, <see cref="StdDev"/> (population), <see cref="Quantiles"/>.</item>
/// <item>Timestamp: <see cref="MinText"/>, <see cref="MaxText"/> (ISO 8601, UTC).</item>
/// <item>Categorical, Boolean: <see cref="Categories"/>.</item>
/// </list>
/// Fields that do not apply, or that have no non-null value to measure, are null.
/// </summary>
public sealed record ColumnProfile
{
    /// <summary>The p-levels of <see cref="Quantiles"/>, in order.</summary>
    public static readonly IReadOnlyList<double> QuantileLevels = [0.01, 0.25, 0.50, 0.75, 0.99];

    /// <summary>Most categories a profile lists; the most frequent ones are kept.</summary>
    public const int MaxCategories = 200;

    /// <summary>Distinct values counted exactly up to this many; beyond it the count is a HyperLogLog estimate.</summary>
    public const int ExactDistinctCap = 100_000;

    /// <summary>Most values <see cref="Quantiles"/> are computed from; larger columns are sampled evenly over their rows.</summary>
    public const int QuantileSampleSize = 100_000;

    public required string Name { get; init; }

    public required ColumnType Type { get; init; }

    /// <summary>True when at least one null was seen (for a declared schema: nulls are allowed).</summary>
    public bool Nullable { get; init; }

    /// <summary>Share of rows that are null, 0..1.</summary>
    public double NullRate { get; init; }

    /// <summary>
    /// Distinct non-null values. Exact for Categorical and Boolean; exact for the other types while the column has at most
    /// <see cref="ExactDistinctCap"/> distinct values, otherwise a HyperLogLog estimate (about 0.8 % standard error)
    /// and <see cref="DistinctApproximate"/> is true.
    /// </summary>
    public long DistinctCount { get; init; }

    public bool DistinctApproximate { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public double? Mean { get; init; }

    /// <summary>Population standard deviation of the non-null values.</summary>
    public double? StdDev { get; init; }

    public string? MinText { get; init; }

    public string? MaxText { get; init; }

    /// <summary>
    /// Values seen, most frequent first (ties in ordinal order), at most <see cref="MaxCategories"/>;
    /// Boolean columns list "true" and/or "false".
    /// </summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>True when the column had more categories than <see cref="Categories"/> lists.</summary>
    public bool CategoriesTruncated { get; init; }

    /// <summary>
    /// p01, p25, p50, p75, p99 (see <see cref="QuantileLevels"/>) by linear interpolation between order statistics,
    /// from all non-null values or an even sample of <see cref="QuantileSampleSize"/> of them.
    /// </summary>
    public IReadOnlyList<double>? Quantiles { get; init; }
}
