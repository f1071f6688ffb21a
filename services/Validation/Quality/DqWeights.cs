namespace Vigil.Validation.Quality;

/// <summary>How much each dimension counts in the DQ score. Any non-negative weights; the score divides by their sum.</summary>
public sealed record DqWeights
{
    public static DqWeights Default { get; } = new();

    public double Completeness { get; init; } = 0.25;
    public double Uniqueness { get; init; } = 0.20;
    public double Validity { get; init; } = 0.25;
    public double Consistency { get; init; } = 0.20;
    public double Timeliness { get; init; } = 0.10;

    public double Of(string dimension) => dimension switch
    {
        DqDimensions.Completeness => Completeness,
        DqDimensions.Uniqueness => Uniqueness,
        DqDimensions.Validity => Validity,
        DqDimensions.Consistency => Consistency,
        DqDimensions.Timeliness => Timeliness,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown DQ dimension."),
    };

    internal void EnsureValid()
    {
        var weights = DqDimensions.All.Select(Of).ToArray();
        if (weights.Any(w => !double.IsFinite(w) || w < 0))
            throw new ArgumentException("DQ weights must be finite and zero or more.");
        if (weights.Sum() <= 0) throw new ArgumentException("At least one DQ weight must be above zero.");
    }
}

/// <summary>The names of the DQ dimensions, as they appear in <see cref="DqScoreResult.Dimensions"/>.</summary>
public static class DqDimensions
{
    public const string Completeness = "completeness";
    public const string Uniqueness = "uniqueness";
    public const string Validity = "validity";
    public const string Consistency = "consistency";
    public const string Timeliness = "timeliness";

    public static IReadOnlyList<string> All { get; } = [Completeness, Uniqueness, Validity, Consistency, Timeliness];

    /// <summary>The dimension a rule kind scores: not_null and row_count completeness, unique uniqueness, and so on.</summary>
    public static string Of(Rules.RuleKind kind) => kind switch
    {
        Rules.RuleKind.NotNull or Rules.RuleKind.RowCount => Completeness,
        Rules.RuleKind.Unique => Uniqueness,
        Rules.RuleKind.Expression => Consistency,
        Rules.RuleKind.Freshness => Timeliness,
        _ => Validity,
    };
}
