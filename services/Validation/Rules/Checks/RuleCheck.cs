using System.Globalization;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// A rule bound to one batch, split into work items the engine runs in parallel: optional preparation phases (every item
/// of a phase finishes before the next phase starts), then main items that each fill their own <see cref="Tally"/>.
/// </summary>
internal abstract class RuleCheck(RuleDefinition rule)
{
    public RuleDefinition Rule { get; } = rule;

    /// <summary>The columns whose values a sample shows.</summary>
    public virtual IReadOnlyList<Column> SampleColumns => [];

    public virtual int PreparationPhases => 0;

    public virtual int PreparationItems(int phase) => 0;

    public virtual void Prepare(int phase, int item) { }

    /// <summary>Gives back pooled buffers once the rule is concluded.</summary>
    public virtual void Release() { }

    public abstract int Items { get; }

    /// <summary>Main items that take long run first, so that parallel workers finish together.</summary>
    public virtual bool IsHeavy => false;

    public abstract void Run(int item, Tally tally);

    /// <summary>Pass or fail and the message, once every item's tally is merged.</summary>
    public virtual (bool Passed, string Message) Conclude(Tally total) =>
        total.Abort is { } abort ? (false, abort) : (total.Failing == 0, Describe(total));

    protected abstract string Describe(Tally total);

    protected static string Rows(long count) => count == 1 ? "1 row has" : $"{Count(count)} rows have";

    protected static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A check of each row on its own, run over chunks of <see cref="ChunkRows"/> rows.</summary>
internal abstract class RowCheck(RuleDefinition rule, int rowCount) : RuleCheck(rule)
{
    public const int ChunkRows = 65_536;

    protected int RowCount { get; } = rowCount;

    public override int Items => (RowCount + ChunkRows - 1) / ChunkRows;

    public override void Run(int item, Tally tally)
    {
        var start = item * ChunkRows;
        RunRows(start, Math.Min(RowCount, start + ChunkRows), tally);
    }

    protected abstract void RunRows(int start, int end, Tally tally);
}

/// <summary>A rule that cannot run on this batch (a column it names is missing, or the definition is invalid).</summary>
internal sealed class BrokenCheck(RuleDefinition rule, string message) : RuleCheck(rule)
{
    public override int Items => 0;

    public override void Run(int item, Tally tally) { }

    public override (bool Passed, string Message) Conclude(Tally total) => (false, message);

    protected override string Describe(Tally total) => message;
}

/// <summary>
/// Counts and the first failing rows of one work item, or of a whole rule once merged. With a capacity of
/// <see cref="int.MaxValue"/> it keeps every failing row (for the defects report).
/// </summary>
internal sealed class Tally(int maxSamples)
{
    private readonly List<int> _samples = new(Math.Min(maxSamples, 64));

    public long Failing;
    public long Checked;

    /// <summary>Rule-specific counts (e.g. values that are not numbers, rows not evaluated).</summary>
    public long DetailA;
    public long DetailB;

    /// <summary>Set when the item stopped early; the rule then fails with this message.</summary>
    public string? Abort;

    public int SampleCount => _samples.Count;

    public bool SamplesFull => _samples.Count == maxSamples;

    public ReadOnlySpan<int> Samples => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_samples);

    public void Fail(int row)
    {
        Failing++;
        Sample(row);
    }

    public void Sample(int row)
    {
        if (_samples.Count < maxSamples) _samples.Add(row);
    }

    /// <summary>Like <see cref="Fail"/> for rows visited out of order: keeps the smallest rows as samples.</summary>
    public void FailOutOfOrder(int row)
    {
        Failing++;
        if (_samples.Count < maxSamples)
        {
            _samples.Add(row);
            return;
        }
        if (SampleCount == 0) return;
        var largest = 0;
        for (var i = 1; i < SampleCount; i++)
        {
            if (_samples[i] > _samples[largest]) largest = i;
        }
        if (row < _samples[largest]) _samples[largest] = row;
    }

    /// <summary>Sums tallies; the samples are the first rows over all of them.</summary>
    public static Tally Merge(IEnumerable<Tally> tallies, int maxSamples)
    {
        var total = new Tally(maxSamples);
        var rows = new List<int>();
        foreach (var tally in tallies)
        {
            total.Failing += tally.Failing;
            total.Checked += tally.Checked;
            total.DetailA += tally.DetailA;
            total.DetailB += tally.DetailB;
            total.Abort ??= tally.Abort;
            foreach (var row in tally.Samples) rows.Add(row);
        }
        rows.Sort();
        foreach (var row in rows) total.Sample(row);
        return total;
    }
}

/// <summary>Helpers shared by the checks.</summary>
internal static class CheckText
{
    /// <summary>
    /// A value's text without allocating: String/Categorical values as stored, others formatted into
    /// <paramref name="buffer"/> (at least 64 chars) exactly as <see cref="Column.GetText"/> writes them.
    /// </summary>
    public static ReadOnlySpan<char> Of(Column column, int row, Span<char> buffer)
    {
        int written;
        switch (column.Type)
        {
            case ColumnType.String or ColumnType.Categorical:
                return column.GetString(row);
            case ColumnType.Integer:
                column.GetInt64(row).TryFormat(buffer, out written, default, CultureInfo.InvariantCulture);
                return buffer[..written];
            case ColumnType.Decimal:
                column.GetDouble(row).TryFormat(buffer, out written, "R", CultureInfo.InvariantCulture);
                return buffer[..written];
            case ColumnType.Boolean:
                return column.GetBoolean(row) ? "true" : "false";
            default:
                column.GetTimestamp(row).TryFormat(buffer, out written, "O", CultureInfo.InvariantCulture);
                return buffer[..written];
        }
    }

    /// <summary>Classifies each category of a Categorical column once, so rows need only a lookup.</summary>
    public static T[] PerCategory<T>(Column column, Func<string, T> classify) => [.. column.Categories.Select(classify)];

    public static string List(IEnumerable<string> values, int max = 10)
    {
        var all = values.ToList();
        var shown = string.Join(", ", all.Take(max));
        return all.Count > max ? $"{{{shown}, ... {all.Count - max} more}}" : $"{{{shown}}}";
    }

    public static string Columns(IReadOnlyList<string> columns) => columns.Count == 1 ? columns[0] : $"({string.Join(", ", columns)})";
}
