namespace Vigil.Validation.Schema;

/// <summary>What changed between the accepted schema and a batch's schema, in accepted column order, added columns last.</summary>
public sealed record DriftReport(IReadOnlyList<DriftFinding> Findings)
{
    /// <summary>No baseline to compare with, or nothing changed.</summary>
    public static readonly DriftReport None = new([]);

    public bool HasBreaking => Findings.Any(f => f.Breaking);

    /// <summary>The findings a person should look at: warnings and breaking ones (informational findings stay in the report only).</summary>
    public IEnumerable<DriftFinding> Notable => Findings.Where(f => f.Severity != DriftSeverity.Info);

    /// <summary>Whether the batch's columns or types differ from the baseline's (profile shifts and new categories are not structural).</summary>
    public bool HasStructuralChange => Findings.Any(f => f.Kind is DriftKind.ColumnAdded or DriftKind.ColumnRemoved or DriftKind.ColumnRenamed
        or DriftKind.TypeChanged or DriftKind.NullabilityChanged);

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

    /// <summary>
    /// How much it matters: <see cref="DriftSeverity.Breaking"/> whenever <see cref="Breaking"/>; otherwise a warning unless
    /// the finder says it is only informational (a compatible type change such as integer to decimal).
    /// </summary>
    public DriftSeverity Severity
    {
        get => Breaking ? DriftSeverity.Breaking : _severity ?? DriftSeverity.Warning;
        init => _severity = value == DriftSeverity.Breaking ? null : value;
    }

    private readonly DriftSeverity? _severity;

    /// <summary>For <see cref="DriftKind.NewCategories"/>: the new values.</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>How much a drift finding matters. Only warnings and breaking findings are passed on with the run (and alerted on).</summary>
public enum DriftSeverity
{
    /// <summary>Worth recording, needs no action: a compatible type change (integer and decimal, categorical and string).</summary>
    Info,

    /// <summary>A change a person should look at; does not fail a run.</summary>
    Warning,

    /// <summary>Consumers of the data may break; fails the run under the <c>block</c> and <c>evolve</c> policies.</summary>
    Breaking,
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
