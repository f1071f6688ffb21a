using System.Globalization;

namespace Vigil.Validation.Rules.Checks;

/// <summary>A table-level check: no per-row work, no failing rows; it passes or fails as a whole.</summary>
internal sealed class RowCountCheck(RowCountRule rule, int rowCount, long? previousRowCount) : RuleCheck(rule)
{
    public override int Items => 0;

    public override void Run(int item, Tally tally) { }

    public override (bool Passed, string Message) Conclude(Tally total)
    {
        var problems = new List<string>();
        if (rule.Min is { } min && rowCount < min) problems.Add($"at least {min} expected");
        if (rule.Max is { } max && rowCount > max) problems.Add($"at most {max} expected");
        var comparison = "";
        if (rule.MaxChangeRatio is { } allowed)
        {
            if (previousRowCount is not { } previous)
            {
                comparison = "; no previous run to compare with";
            }
            else if (previous == 0)
            {
                comparison = "; the previous run had no rows, so the change is not compared";
            }
            else
            {
                var change = (double)(rowCount - previous) / previous;
                comparison = $"; {Percent(Math.Abs(change))} {(change < 0 ? "fewer" : "more")} than the previous run's {previous}";
                if (Math.Abs(change) > allowed + 1e-12) problems.Add($"a change of at most {Percent(allowed)} allowed");
            }
        }
        var summary = $"The batch has {rowCount} {(rowCount == 1 ? "row" : "rows")}{comparison}";
        return problems.Count == 0 ? (true, summary) : (false, $"{summary}: {string.Join(", ", problems)}");
    }

    protected override string Describe(Tally total) => Conclude(total).Message;

    private static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
