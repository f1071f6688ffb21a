namespace Vigil.Validation.Reconciliation;

/// <summary>How a source batch and a target batch are matched and compared.</summary>
public sealed record ReconciliationOptions
{
    /// <summary>The columns that together identify a record on both sides (at least one).</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }

    /// <summary>
    /// Two numbers are equal when they differ by at most this much (absolute), or by at most
    /// <see cref="RelativeTolerance"/> of the larger magnitude when that is set: either test passing is enough.
    /// </summary>
    public double NumericTolerance { get; init; } = 1e-9;

    /// <summary>Optional relative tolerance, as a fraction (0.001 = 0.1 %) of the larger of the two magnitudes.</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>
    /// The columns whose values are compared. Default: every column present on both sides, in source order.
    /// Key columns named here are skipped (matched records already agree on them); a column missing from either
    /// side is an error.
    /// </summary>
    public IReadOnlyList<string>? CompareColumns { get; init; }

    /// <summary>Ignore leading and trailing white space of text values, in keys as well as in compared columns.</summary>
    public bool TrimStrings { get; init; }

    /// <summary>At most this many sample records per defect kind in the result (0 for none).</summary>
    public int MaxSamples { get; init; } = 10;

    /// <summary>Test seam: masks every key hash, so that tests can force collisions between different keys.</summary>
    internal ulong HashMask { get; init; } = ulong.MaxValue;
}
