using System.Text.RegularExpressions;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Matches each value against the rule's compiled regex (a Categorical column: each category once). A match that
/// exceeds the time limit stops the rule, which then fails and says so, rather than spending the limit on every row.
/// </summary>
internal sealed class PatternCheck : RowCheck
{
    private readonly PatternRule _rule;
    private readonly Column _column;
    private readonly Regex _regex;
    private readonly bool[]? _categoryMatches;
    private readonly string? _categoryAbort;
    private volatile bool _aborted;

    public PatternCheck(PatternRule rule, Column column, Regex regex, int rowCount) : base(rule, rowCount)
    {
        _rule = rule;
        _column = column;
        _regex = regex;
        if (column.Type != ColumnType.Categorical) return;
        try
        {
            _categoryMatches = CheckText.PerCategory(column, value => regex.IsMatch(value));
        }
        catch (RegexMatchTimeoutException)
        {
            _categoryAbort = TimedOut(null);
        }
    }

    public override IReadOnlyList<Column> SampleColumns => [_column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        if (_categoryAbort is not null)
        {
            tally.Abort = _categoryAbort;
            return;
        }
        Span<char> buffer = stackalloc char[64];
        for (var row = start; row < end; row++)
        {
            if (_column.IsNull(row)) continue;
            tally.Checked++;
            bool matches;
            if (_categoryMatches is not null)
            {
                matches = _categoryMatches[_column.GetCategoryCode(row)];
            }
            else
            {
                if (_aborted) return;
                try
                {
                    matches = _regex.IsMatch(CheckText.Of(_column, row, buffer));
                }
                catch (RegexMatchTimeoutException)
                {
                    _aborted = true;
                    tally.Abort = TimedOut(row);
                    return;
                }
            }
            if (!matches) tally.Fail(row);
        }
    }

    protected override string Describe(Tally total) => total.Failing == 0
        ? $"All {Count(total.Checked)} values of {_column.Name} match {_rule.Regex}"
        : $"{Rows(total.Failing)} {_column.Name} not matching {_rule.Regex}";

    private string TimedOut(int? row) =>
        $"The pattern {_rule.Regex} took longer than {RegexCache.MatchTimeout.TotalMilliseconds} ms on one value of {_column.Name}" +
        (row is { } r ? $" (row {r + 1})" : "") + "; the rule was stopped. Simplify the pattern (avoid nested quantifiers and backreferences).";
}
