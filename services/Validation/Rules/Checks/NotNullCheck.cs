using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

internal sealed class NotNullCheck(NotNullRule rule, Column column, int rowCount) : RowCheck(rule, rowCount)
{
    public override IReadOnlyList<Column> SampleColumns => [column];

    protected override void RunRows(int start, int end, Tally tally)
    {
        var nulls = MemoryMarshal.Cast<bool, byte>(column.NullMask[start..end]);
        tally.Checked += nulls.Length;
        tally.Failing += nulls.Count((byte)1);
        for (var offset = 0; !tally.SamplesFull;)
        {
            var next = nulls[offset..].IndexOf((byte)1);
            if (next < 0) break;
            tally.Sample(start + offset + next);
            offset += next + 1;
        }
    }

    protected override string Describe(Tally total) => total.Failing == 0
        ? $"{column.Name} has a value in all {Count(total.Checked)} rows"
        : $"{Rows(total.Failing)} no value in {column.Name}";
}
