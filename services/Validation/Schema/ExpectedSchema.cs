using Vigil.Tabular.Tables;

namespace Vigil.Validation.Schema;

/// <summary>
/// The schema a dataset's owner declares, as JSON <c>{ "columns": [{ "name": "id", "type": "integer", "nullable": false }] }</c>
/// (read with <see cref="SchemaJson.Options"/>; type names are case-insensitive). Compared like an accepted snapshot,
/// without profile checks.
/// </summary>
public sealed record ExpectedSchema
{
    public required IReadOnlyList<ExpectedColumn> Columns { get; init; }

    /// <summary>A <see cref="SchemaSource.Declared"/> snapshot to pass as the accepted side of <see cref="DriftDetector.Compare"/>.</summary>
    /// <exception cref="ArgumentException">A column has no name, or two columns share one.</exception>
    public SchemaSnapshot ToSnapshot()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            if (string.IsNullOrWhiteSpace(column.Name)) throw new ArgumentException("Every expected column needs a name.");
            if (!names.Add(column.Name)) throw new ArgumentException($"The expected schema names column '{column.Name}' twice.");
        }
        return new SchemaSnapshot
        {
            Source = SchemaSource.Declared,
            RowCount = 0,
            Columns = [.. Columns.Select(c => new ColumnProfile { Name = c.Name, Type = c.Type, Nullable = c.Nullable, Categories = c.Categories })],
        };
    }
}

/// <summary>One declared column. Nullable unless declared otherwise, as in SQL.</summary>
public sealed record ExpectedColumn
{
    public required string Name { get; init; }

    public required ColumnType Type { get; init; }

    public bool Nullable { get; init; } = true;

    /// <summary>For a categorical column, the allowed values: others are reported as <see cref="DriftKind.NewCategories"/>.</summary>
    public IReadOnlyList<string>? Categories { get; init; }
}
