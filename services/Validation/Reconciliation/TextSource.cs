using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>
/// The text of a column's values, trimmed when asked, without allocating for String and Categorical columns.
/// Any other type (compared as text against a text column) yields <see cref="Column.GetText"/>, which allocates.
/// </summary>
internal abstract class TextSource
{
    public static TextSource For(Column column, bool trim) => column.Type switch
    {
        ColumnType.String => new StringSource(column, trim),
        ColumnType.Categorical => new CategoricalSource(column, trim),
        _ => new InvariantTextSource(column, trim),
    };

    /// <summary>The value's text; only meaningful for a non-null row.</summary>
    public abstract ReadOnlySpan<char> Text(int row);

    public virtual int Hash(int row) => string.GetHashCode(Text(row));

    private static ReadOnlySpan<char> Trim(string text, bool trim) => trim ? text.AsSpan().Trim() : text;

    private sealed class StringSource(Column column, bool trim) : TextSource
    {
        public override ReadOnlySpan<char> Text(int row) => Trim(column.GetString(row), trim);
    }

    private sealed class CategoricalSource : TextSource
    {
        private readonly Column _column;
        private readonly string[] _texts;
        private readonly int[] _hashes;

        public CategoricalSource(Column column, bool trim)
        {
            _column = column;
            _texts = [.. column.Categories.Select(c => trim ? c.Trim() : c)];
            _hashes = [.. _texts.Select(t => string.GetHashCode(t.AsSpan()))];
        }

        public override ReadOnlySpan<char> Text(int row) => _texts[_column.GetCategoryCode(row)];

        public override int Hash(int row) => _hashes[_column.GetCategoryCode(row)];
    }

    private sealed class InvariantTextSource(Column column, bool trim) : TextSource
    {
        public override ReadOnlySpan<char> Text(int row) => Trim(column.GetText(row), trim);
    }
}
