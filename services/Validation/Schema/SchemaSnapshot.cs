namespace Vigil.Validation.Schema;

/// <summary>
/// The schema of one batch (or a declared expected schema): its columns in batch order with their profiles.
/// Stored as JSON (see <see cref="SchemaJson"/>) per dataset version; the last accepted one is what
/// <see cref="DriftDetector"/> compares the next batch against.
/// </summary>
public sealed record SchemaSnapshot
{
    public required IReadOnlyList<ColumnProfile> Columns { get; init; }

    /// <summary>Rows in the profiled batch; 0 for a declared schema.</summary>
    public long RowCount { get; init; }

    /// <summary>
    /// <see cref="SchemaSource.Profiled"/> when built from data by <see cref="SchemaProfiler"/>;
    /// <see cref="SchemaSource.Declared"/> when built from an <see cref="ExpectedSchema"/>, whose profile fields carry no information.
    /// </summary>
    public SchemaSource Source { get; init; } = SchemaSource.Profiled;
}

/// <summary>Where a <see cref="SchemaSnapshot"/> came from.</summary>
public enum SchemaSource
{
    /// <summary>Profiled from a batch: every profile field is measured.</summary>
    Profiled,

    /// <summary>Declared by the dataset's owner: only names, types, nullability (and optionally categories) mean anything.</summary>
    Declared,
}
