using System.Globalization;
using Vigil.Tabular.Tables;
using Vigil.Validation.Rules.Expressions;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Evaluates the compiled expression over sub-chunks of <see cref="SubChunkRows"/> rows, column at a time. A row whose
/// condition is unknown (a comparison met a null, a division by zero) is not checked: neither passing nor failing.
/// </summary>
internal sealed class ExpressionCheck(ExpressionRule rule, ConditionNode root, IReadOnlyList<Column> columns, int rowCount)
    : RowCheck(rule, rowCount)
{
    public const int SubChunkRows = 4096;

    public override IReadOnlyList<Column> SampleColumns => columns;

    protected override void RunRows(int start, int end, Tally tally)
    {
        var frame = new Frame(SubChunkRows);
        var buffer = frame.RentBytes();
        for (var from = start; from < end; from += SubChunkRows)
        {
            var states = buffer.AsSpan(0, Math.Min(SubChunkRows, end - from));
            root.Evaluate(from, states, frame);
            var failing = states.Count(Truth.False);
            var unknown = states.Count(Truth.Unknown);
            tally.Failing += failing;
            tally.Checked += states.Length - unknown;
            tally.DetailA += unknown;
            for (var offset = 0; failing > 0 && !tally.SamplesFull;)
            {
                var next = states[offset..].IndexOf(Truth.False);
                if (next < 0) break;
                tally.Sample(from + offset + next);
                offset += next + 1;
            }
        }
    }

    protected override string Describe(Tally total)
    {
        var tolerance = rule.Tolerance > 0 ? $" (tolerance {rule.Tolerance.ToString(CultureInfo.InvariantCulture)})" : "";
        var unknown = total.DetailA > 0
            ? $"; {Count(total.DetailA)} {(total.DetailA == 1 ? "row was" : "rows were")} not evaluated (a null operand)"
            : "";
        var verdict = total.Failing == 0
            ? $"All {Count(total.Checked)} evaluated rows satisfy {rule.Expression}{tolerance}"
            : $"{Count(total.Failing)} {(total.Failing == 1 ? "row breaks" : "rows break")} {rule.Expression}{tolerance}";
        return verdict + unknown;
    }
}
