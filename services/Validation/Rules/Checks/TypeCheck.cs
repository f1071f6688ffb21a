using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Parses each value's text as the expected type with the parsers that infer column types. A column already read as
/// that type (or as integers when decimals are expected, or anything when text is expected) passes without a look.
/// </summary>
internal sealed class TypeCheck : RowCheck
{
    private delegate bool Parser(ReadOnlySpan<char> text);

    private readonly TypeRule _rule;
    private readonly Column _column;
    private readonly bool _allPass;
    private readonly Parser _parses;
    private readonly bool[]? _categoryParses;

    public TypeCheck(TypeRule rule, Column column, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        _parses = rule.Type switch
        {
            ExpectedType.Integer => text => ColumnInference.TryParseInteger(text, out _),
            ExpectedType.Decimal => text => ColumnInference.TryParseDecimal(text, out _),
            ExpectedType.Boolean => text => ColumnInference.TryParseBoolean(text, out _),
            ExpectedType.Timestamp => text => ColumnInference.TryParseTimestamp(text, out _),
            _ => _ => true,
        };
        _allPass = rule.Type switch
        {
            ExpectedType.String => true,
            ExpectedType.Integer => column.Type == ColumnType.Integer,
            ExpectedType.Decimal => column.IsNumeric,
            ExpectedType.Boolean => column.Type == ColumnType.Boolean,
            _ => column.Type == ColumnType.Timestamp,
        };
        if (!_allPass && column.Type == ColumnType.Categorical) _categoryParses = CheckText.PerCategory(column, value => _parses(value));
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        if (_allPass)
        {
            tally.Checked += end - start - _column.NullMask[start..end].Count(true);
            return;
        }
        Span<char> buffer = stackalloc char[64];
        for (var row = start; row < end; row++)
        {
            if (_column.IsNull(row)) continue;
            tally.Checked++;
            var parses = _categoryParses is not null
                ? _categoryParses[_column.GetCategoryCode(row)]
                : _parses(CheckText.Of(_column, row, buffer));
            if (!parses) tally.Fail(row);
        }
    }

    protected override string Describe(Tally total)
    {
        var type = RuleNames.Of(_rule.Type);
        return total.Failing == 0
            ? $"All {Count(total.Checked)} values of {_column.Name} are {type}"
            : $"{Rows(total.Failing)} {_column.Name} values that are not {type}";
    }
}
