using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Vigil.Tabular.Tables;
using Vigil.Validation.Rules.Checks;

namespace Vigil.Validation.Rules;

/// <summary>
/// Evaluates a dataset's rules on a typed batch. Each rule is bound to the batch, split into work items (chunks of
/// rows, or hash partitions for unique, after its hashing phases), and all items of all rules run in one parallel
/// loop, heavy items first; counts and the first failing rows are merged per rule afterwards. Numeric checks run over
/// the columns' raw spans a vector at a time; no check allocates per row. A rule that cannot run (a missing column,
/// an invalid definition) fails with a message instead of throwing.
/// </summary>
public static class RuleEngine
{
    public static RuleReport Evaluate(TypedTable table, IReadOnlyList<RuleDefinition> rules, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(context.MaxSamples);
        var started = Stopwatch.GetTimestamp();
        var parallelism = context.MaxDegreeOfParallelism is > 0 and var p ? p : Environment.ProcessorCount;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism };

        var checks = rules.Select(rule => RuleBinder.Bind(rule, table, context, parallelism)).ToArray();
        try
        {
            return Run(table, context, checks, options, started);
        }
        finally
        {
            foreach (var check in checks) check.Release();
        }
    }

    private static RuleReport Run(TypedTable table, RuleContext context, RuleCheck[] checks, ParallelOptions options, long started)
    {
        var phases = checks.Length == 0 ? 0 : checks.Max(check => check.PreparationPhases);
        for (var phase = 0; phase < phases; phase++)
        {
            var preparation = checks.Where(check => phase < check.PreparationPhases)
                .SelectMany(check => Enumerable.Range(0, check.PreparationItems(phase)).Select(item => (check, item)))
                .ToArray();
            var current = phase;
            RunParallel(preparation.Length, options, i => preparation[i].check.Prepare(current, preparation[i].item));
        }

        var work = checks.SelectMany((check, index) => Enumerable.Range(0, check.Items).Select(item => (index, item)))
            .OrderByDescending(w => checks[w.index].IsHeavy)
            .ToArray();
        var tallies = new Tally[work.Length];
        var keep = context.CollectFailingRows ? int.MaxValue : context.MaxSamples;
        RunParallel(work.Length, options, i =>
        {
            var tally = new Tally(keep);
            checks[work[i].index].Run(work[i].item, tally);
            tallies[i] = tally;
        });

        var byRule = new List<Tally>[checks.Length];
        for (var i = 0; i < checks.Length; i++) byRule[i] = [];
        for (var i = 0; i < work.Length; i++) byRule[work[i].index].Add(tallies[i]);

        var keys = context.KeyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var results = new RuleResult[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var check = checks[i];
            var total = Tally.Merge(byRule[i], keep);
            var (passed, message) = check.Conclude(total);
            results[i] = new RuleResult
            {
                Name = check.Rule.Name,
                Kind = check.Rule.Kind,
                Columns = check.Rule.ReferencedColumns,
                Severity = check.Rule.Severity,
                Passed = passed,
                FailingRows = total.Failing,
                CheckedRows = check.Rule is RowCountRule ? table.RowCount : total.Checked,
                Samples = [.. total.Samples[..Math.Min(total.SampleCount, context.MaxSamples)].ToArray().Select(row => Sample(row, keys, check.SampleColumns))],
                FailingRowIndexes = context.CollectFailingRows ? total.Samples.ToArray() : [],
                Message = message,
            };
        }
        return new RuleReport(results, table.RowCount, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static RuleSample Sample(int row, Column[] keys, IReadOnlyList<Column> columns) =>
        new(row + 1, TextOf(row, keys), TextOf(row, columns));

    private static Dictionary<string, string?> TextOf(int row, IReadOnlyList<Column> columns)
    {
        var values = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
        foreach (var column in columns) values.TryAdd(column.Name, column.IsNull(row) ? null : column.GetText(row));
        return values;
    }

    private static void RunParallel(int count, ParallelOptions options, Action<int> body)
    {
        if (count == 0) return;
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
