using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Numeric columns are counted a vector at a time; text columns are read as numbers value by value (a value that is
/// not a number fails). Exclusive bounds become inclusive ones by one ulp, integer bounds by rounding inwards.
/// </summary>
internal sealed class RangeCheck : RowCheck
{
    private const byte Inside = 0, Outside = 1, NotNumber = 2;

    private readonly RangeRule _rule;
    private readonly Column _column;
    private readonly double _low, _high;
    private readonly long _lowInteger, _highInteger;
    private readonly byte[]? _categoryClasses;

    public RangeCheck(RangeRule rule, Column column, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        _low = rule.Min is { } min ? (rule.Exclusive ? Math.BitIncrement(min) : min) : double.NegativeInfinity;
        _high = rule.Max is { } max ? (rule.Exclusive ? Math.BitDecrement(max) : max) : double.PositiveInfinity;
        _lowInteger = ToInteger(Math.Ceiling(_low));
        _highInteger = ToInteger(Math.Floor(_high));
        if (column.Type == ColumnType.Categorical) _categoryClasses = CheckText.PerCategory(column, Classify);
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        var nulls = MemoryMarshal.Cast<bool, byte>(_column.NullMask[start..end]);
        tally.Checked += nulls.Length - nulls.Count((byte)1);
        switch (_column.Type)
        {
            case ColumnType.Integer:
                var (belowI, aboveI) = RangeKernels.CountOutside(_column.Int64Values[start..end], nulls, _lowInteger, _highInteger);
                tally.Failing += belowI + aboveI;
                if (belowI + aboveI > 0) CollectSamples(start, end, tally);
                break;
            case ColumnType.Decimal:
                var (belowD, aboveD) = RangeKernels.CountOutside(_column.DoubleValues[start..end], nulls, _low, _high);
                tally.Failing += belowD + aboveD;
                if (belowD + aboveD > 0) CollectSamples(start, end, tally);
                break;
            default:
                for (var row = start; row < end; row++)
                {
                    if (_column.IsNull(row)) continue;
                    var verdict = Judge(row);
                    if (verdict == Inside) continue;
                    tally.Fail(row);
                    if (verdict == NotNumber) tally.DetailA++;
                }
                break;
        }
    }

    protected override string Describe(Tally total) => total.Failing == 0
        ? $"All {Count(total.Checked)} values of {_column.Name} are within {_rule.Interval}"
        : $"{Rows(total.Failing)} {_column.Name} outside {_rule.Interval}{(total.DetailA > 0 ? $" ({Count(total.DetailA)} not a number)" : "")}";

    private void CollectSamples(int start, int end, Tally tally)
    {
        for (var row = start; row < end && !tally.SamplesFull; row++)
        {
            if (!_column.IsNull(row) && Judge(row) != Inside) tally.Sample(row);
        }
    }

    private byte Judge(int row) => _column.Type switch
    {
        ColumnType.Integer => _column.GetInt64(row) is var i && (i < _lowInteger || i > _highInteger) ? Outside : Inside,
        ColumnType.Decimal => _column.GetDouble(row) is var d && (d < _low || d > _high) ? Outside : Inside,
        ColumnType.Categorical => _categoryClasses![_column.GetCategoryCode(row)],
        ColumnType.String => Classify(_column.GetString(row)),
        _ => NotNumber, // booleans and timestamps are not numbers
    };

    private byte Classify(string text) =>
        !ColumnInference.TryParseDecimal(text, out var value) ? NotNumber : value < _low || value > _high ? Outside : Inside;

    private static long ToInteger(double bound) =>
        bound <= long.MinValue ? long.MinValue : bound >= long.MaxValue ? long.MaxValue : (long)bound;
}
