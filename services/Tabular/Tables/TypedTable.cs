namespace Vigil.Tabular.Tables;

/// <summary>A batch read into typed columns; every column has <see cref="RowCount"/> values.</summary>
public sealed class TypedTable
{
    private readonly Dictionary<string, Column> _byName;

    public TypedTable(IReadOnlyList<Column> columns, int rowCount)
    {
        if (columns.Any(c => c.Length != rowCount))
            throw new ArgumentException("Every column must have one value per row.", nameof(columns));
        Columns = columns;
        RowCount = rowCount;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<Column> Columns { get; }

    public int RowCount { get; }

    public Column this[string name] => _byName.TryGetValue(name, out var column)
        ? column
        : throw new KeyNotFoundException($"The batch has no column '{name}'.");

    public bool TryGetColumn(string name, out Column column) => _byName.TryGetValue(name, out column!);

    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Builds a table from rows of text (null or empty = null value), inferring each column's type with
    /// <see cref="ColumnInference"/>. For tests and small inputs; batches are read by <see cref="TableReader"/>.
    /// </summary>
    public static TypedTable FromRows(IReadOnlyList<string> columnNames, IEnumerable<string?[]> rows, TableReadOptions? options = null)
    {
        var builders = columnNames.Select(name => new ColumnBuilder(name, options ?? TableReadOptions.Default)).ToArray();
        var count = 0;
        foreach (var row in rows)
        {
            if (row.Length != builders.Length)
                throw new ArgumentException($"Row {count + 1} has {row.Length} values but there are {builders.Length} columns.", nameof(rows));
            for (var i = 0; i < row.Length; i++) builders[i].Add(row[i]);
            count++;
        }
        return new TypedTable([.. builders.Select(b => b.Build())], count);
    }
}
