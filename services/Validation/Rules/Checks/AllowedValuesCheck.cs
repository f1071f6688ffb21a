using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Looks each value up in a set of the allowed values parsed to the column's type (numbers, booleans and timestamps
/// compare by value, text ordinally, optionally ignoring case; a Categorical column: each category once).
/// </summary>
internal sealed class AllowedValuesCheck : RowCheck
{
    private readonly AllowedValuesRule _rule;
    private readonly Column _column;
    private readonly HashSet<string>? _texts;
    private readonly HashSet<long>? _integers;
    private readonly HashSet<double>? _decimals;
    private readonly bool _allowTrue, _allowFalse;
    private readonly bool[]? _categoryAllowed;

    public AllowedValuesCheck(AllowedValuesRule rule, Column column, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        switch (column.Type)
        {
            case ColumnType.Integer:
                _integers = [.. rule.Values.Select(v => ColumnInference.TryParseDecimal(v, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e18 ? (long?)d : null)
                    .OfType<long>()];
                break;
            case ColumnType.Timestamp:
                _integers = [.. rule.Values.Select(v => ColumnInference.TryParseTimestamp(v, out var t) ? (long?)t.UtcTicks : null).OfType<long>()];
                break;
            case ColumnType.Decimal:
                _decimals = [.. rule.Values.Select(v => ColumnInference.TryParseDecimal(v, out var d) ? (double?)(d == 0 ? 0d : d) : null).OfType<double>()];
                break;
            case ColumnType.Boolean:
                _allowTrue = rule.Values.Any(v => ColumnInference.TryParseBoolean(v, out var b) && b);
                _allowFalse = rule.Values.Any(v => ColumnInference.TryParseBoolean(v, out var b) && !b);
                break;
            default:
                _texts = new HashSet<string>(rule.Values, rule.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                if (column.Type == ColumnType.Categorical) _categoryAllowed = CheckText.PerCategory(column, _texts.Contains);
                break;
        }
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        for (var row = start; row < end; row++)
        {
            if (_column.IsNull(row)) continue;
            tally.Checked++;
            var allowed = _column.Type switch
            {
                ColumnType.Categorical => _categoryAllowed![_column.GetCategoryCode(row)],
                ColumnType.String => _texts!.Contains(_column.GetString(row)),
                ColumnType.Integer => _integers!.Contains(_column.GetInt64(row)),
                ColumnType.Timestamp => _integers!.Contains(_column.GetTimestamp(row).UtcTicks),
                ColumnType.Decimal => _decimals!.Contains(_column.GetDouble(row) is var d && d == 0 ? 0d : d),
                _ => _column.GetBoolean(row) ? _allowTrue : _allowFalse,
            };
            if (!allowed) tally.Fail(row);
        }
    }

    protected override string Describe(Tally total) => total.Failing == 0
        ? $"All {Count(total.Checked)} values of {_column.Name} are in {CheckText.List(_rule.Values)}"
        : $"{Rows(total.Failing)} {_column.Name} not in {CheckText.List(_rule.Values)}";
}
