namespace Vigil.Tabular.Tables;

/// <summary>How text becomes typed values.</summary>
public sealed record TableReadOptions
{
    public static readonly TableReadOptions Default = new();

    public char Delimiter { get; init; } = ',';

    /// <summary>Texts read as null besides the empty string (compared case-insensitively).</summary>
    public IReadOnlyList<string> NullTokens { get; init; } = ["null", "NA", "N/A", "NaN"];

    /// <summary>A text column becomes categorical when it has at most this many distinct values...</summary>
    public int CategoricalMaxDistinct { get; init; } = 50;

    /// <summary>...and at most this share of its non-null values are distinct.</summary>
    public double CategoricalMaxDistinctRatio { get; init; } = 0.5;

    /// <summary>
    /// Threads that build a batch's columns while the reading thread parses it: null for one per core (at most 4),
    /// 0 to build on the reading thread alone. Small batches are always built on the reading thread.
    /// </summary>
    public int? BuildThreads { get; init; }
}
