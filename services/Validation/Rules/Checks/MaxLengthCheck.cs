using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>Length in Unicode scalar values (a surrogate pair is one character), of the value's text.</summary>
internal sealed class MaxLengthCheck : RowCheck
{
    private readonly MaxLengthRule _rule;
    private readonly Column _column;
    private readonly bool[]? _categoryTooLong;

    public MaxLengthCheck(MaxLengthRule rule, Column column, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        if (column.Type == ColumnType.Categorical) _categoryTooLong = CheckText.PerCategory(column, value => TooLong(value, rule.MaxLength));
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        Span<char> buffer = stackalloc char[64];
        for (var row = start; row < end; row++)
        {
            if (_column.IsNull(row)) continue;
            tally.Checked++;
            var tooLong = _categoryTooLong is not null
                ? _categoryTooLong[_column.GetCategoryCode(row)]
                : TooLong(CheckText.Of(_column, row, buffer), _rule.MaxLength);
            if (tooLong) tally.Fail(row);
        }
    }

    protected override string Describe(Tally total) => total.Failing == 0
        ? $"All {Count(total.Checked)} values of {_column.Name} have at most {_rule.MaxLength} characters"
        : $"{Rows(total.Failing)} {_column.Name} longer than {_rule.MaxLength} characters";

    private static bool TooLong(ReadOnlySpan<char> text, int maxLength)
    {
        if (text.Length <= maxLength) return false;
        var scalars = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            if (++scalars > maxLength) return true;
        }
        return false;
    }
}
