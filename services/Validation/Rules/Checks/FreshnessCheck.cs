using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Timestamps must lie in [end of the execution date - maxAgeHours, end of the execution date] (UTC). A Timestamp
/// column is counted a vector at a time over its ticks; other columns are read as timestamps value by value.
/// </summary>
internal sealed class FreshnessCheck : RowCheck
{
    private const byte Inside = 0, Stale = 1, Future = 2, NotTimestamp = 3;

    private readonly FreshnessRule _rule;
    private readonly Column _column;
    private readonly DateTimeOffset _from, _to;
    private readonly byte[]? _categoryClasses;

    public FreshnessCheck(FreshnessRule rule, Column column, DateOnly executionDate, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        _to = new DateTimeOffset(executionDate.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
        _from = _to - TimeSpan.FromHours(rule.MaxAgeHours);
        if (column.Type == ColumnType.Categorical) _categoryClasses = CheckText.PerCategory(column, value => Classify(value));
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        if (_column.Type == ColumnType.Timestamp)
        {
            var nulls = MemoryMarshal.Cast<bool, byte>(_column.NullMask[start..end]);
            tally.Checked += nulls.Length - nulls.Count((byte)1);
            var (stale, future) = RangeKernels.CountOutside(_column.Int64Values[start..end], nulls, _from.UtcTicks, _to.UtcTicks);
            tally.Failing += stale + future;
            tally.DetailA += future;
            for (var row = start; row < end && stale + future > 0 && !tally.SamplesFull; row++)
            {
                if (!_column.IsNull(row) && Judge(row) != Inside) tally.Sample(row);
            }
            return;
        }
        Span<char> buffer = stackalloc char[64];
        for (var row = start; row < end; row++)
        {
            if (_column.IsNull(row)) continue;
            tally.Checked++;
            var verdict = _categoryClasses is not null ? _categoryClasses[_column.GetCategoryCode(row)] : Classify(CheckText.Of(_column, row, buffer));
            if (verdict == Inside) continue;
            tally.Fail(row);
            if (verdict == Future) tally.DetailA++;
            if (verdict == NotTimestamp) tally.DetailB++;
        }
    }

    protected override string Describe(Tally total)
    {
        var window = $"[{Format(_from)}, {Format(_to)}]";
        if (total.Failing == 0) return $"All {Count(total.Checked)} values of {_column.Name} are within {window}";
        var parts = new List<string>();
        var stale = total.Failing - total.DetailA - total.DetailB;
        if (stale > 0) parts.Add($"{Count(stale)} older than {Format(_from)} ({Hours} before the end of the execution date)");
        if (total.DetailA > 0) parts.Add($"{Count(total.DetailA)} later than {Format(_to)}");
        if (total.DetailB > 0) parts.Add($"{Count(total.DetailB)} not a timestamp");
        return $"{Rows(total.Failing)} {_column.Name} outside {window}: {string.Join(", ", parts)}";
    }

    private string Hours => $"{_rule.MaxAgeHours.ToString(CultureInfo.InvariantCulture)} h";

    private byte Judge(int row) => _column.GetTimestamp(row) is var t && t < _from ? Stale : t > _to ? Future : Inside;

    private byte Classify(ReadOnlySpan<char> text) =>
        !ColumnInference.TryParseTimestamp(text, out var t) ? NotTimestamp : t < _from ? Stale : t > _to ? Future : Inside;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
