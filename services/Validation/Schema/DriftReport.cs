namespace Vigil.Validation.Schema;

/// <summary>What changed between the accepted schema and a batch's schema, in accepted column order, added columns last.</summary>
public sealed record DriftReport(IReadOnlyList<DriftFinding> Findings)
{
    /// <summary>No baseline to compare with, or nothing changed.</summary>
    public static readonly DriftReport None = new([]);

    public bool HasBreaking => Findings.Any(f => f.Breaking);

    /// <summary>One line listing the breaking findings, for a failed run's reason; empty when there are none.</summary>
    public string DescribeBreaking() =>
        string.Join("; ", Findings.Where(f => f.Breaking).Select(f => f.Detail));
}

/// <summary>
/// One change. <see cref="Column"/> is the column it is about (for <see cref="DriftKind.ColumnRenamed"/> the accepted,
/// old name, with the new name in <see cref="RelatedColumn"/>).
/// </summary>
public sealed record DriftFinding
{
    public required DriftKind Kind { get; init; }

    public required string Column { get; init; }

    public string? RelatedColumn { get; init; }

    /// <summary>A sentence a person reads in a report or alert.</summary>
    public required string Detail { get; init; }

    public required bool Breaking { get; init; }

    /// <summary>For <see cref="DriftKind.NewCategories"/>: the new values.</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

public enum DriftKind
{
    ColumnAdded,
    ColumnRemoved,
    ColumnRenamed,
    TypeChanged,
    NullabilityChanged,
    NewCategories,
    ProfileShift,
}
