using Vigil.Tabular.Tables;

namespace Vigil.Validation.Cleaning;

/// <summary>The cleaned copy of a batch and what was done to it.</summary>
public sealed record CleaningResult
{
    public required TypedTable Cleaned { get; init; }

    public required long DuplicatesRemoved { get; init; }

    /// <summary>Nulls filled, per column that had any filled.</summary>
    public required IReadOnlyDictionary<string, long> ImputedByColumn { get; init; }

    /// <summary>Rows flagged, per column that got an outlier flag column (0 when none was an outlier).</summary>
    public required IReadOnlyDictionary<string, long> OutliersByColumn { get; init; }
}
