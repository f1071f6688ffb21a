using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>
/// Reconciles a target batch against its source by key: records missing in the target, unexpected in the target,
/// duplicate keys on each side, rows with a null key, and for every matched record the values changed (numbers
/// within the tolerance are equal) and the nulls introduced, column by column.
/// </summary>
/// <remarks>
/// <para>Keys are hashed once per row from their typed values (no string per row); a hash only narrows the
/// search and the typed values decide equality, so colliding keys are never confused. Keys compare exactly: no
/// numeric tolerance, text trimmed only with <see cref="ReconciliationOptions.TrimStrings"/>.</para>
/// <para>Types: a column integer on one side and decimal on the other compares as numbers; string against
/// categorical compares as text; any other pair of different types (say integer against string, or boolean
/// against string) compares by the invariant text of each value (<see cref="Column.GetText"/>: "1.5", "true",
/// ISO 8601), so a source 7 and a target "007" differ. Each such pair is listed in
/// <see cref="ReconciliationResult.TypeMismatches"/>.</para>
/// <para>Hashing, the matching of target keys and the comparison of values run in parallel over row chunks and
/// columns; values are compared a chunk of matched pairs at a time in target row order (<see cref="MatchedPairs"/>).
/// The result keeps row indexes (int arrays), never per-row text, so every defect can be listed again later.</para>
/// </remarks>
public static class ReconciliationEngine
{
    private const int ChunkRows = 65_536;

    public static ReconciliationResult Reconcile(TypedTable source, TypedTable target, ReconciliationOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var keyColumns = ResolveKeys(source, target, options);
        var compareColumns = ResolveCompareColumns(source, target, options, keyColumns);

        var plan = new KeyPlan([.. keyColumns.Select(k => source[k])], [.. keyColumns.Select(k => target[k])], options.TrimStrings, options.HashMask);
        var (sourceHashes, sourceNullKey) = plan.HashRows(KeyPlan.Source, source.RowCount);
        var (targetHashes, targetNullKey) = plan.HashRows(KeyPlan.Target, target.RowCount);

        // First occurrences go into each side's index; later rows with the same key are duplicates.
        KeyIndex sourceIndex = null!;
        Occurrences sourceRows = default, targetRows = default;
        Parallel.Invoke(
            () => (sourceIndex, sourceRows) = IndexFirstOccurrences(plan, KeyPlan.Source, sourceHashes, sourceNullKey),
            () => (_, targetRows) = IndexFirstOccurrences(plan, KeyPlan.Target, targetHashes, targetNullKey));

        // Each target first occurrence looks up its source row; distinct target keys meet distinct source rows, so
        // the parallel writes never collide.
        var sourceToTarget = new int[source.RowCount];
        Array.Fill(sourceToTarget, -1);
        var targetMatched = new bool[target.RowCount];
        Parallel.For(0, Chunks(target.RowCount), chunk =>
        {
            var (from, to) = Range(chunk, target.RowCount);
            for (var t = from; t < to; t++)
            {
                if (!targetRows.IsFirst[t]) continue;
                var s = sourceIndex.Find(targetHashes[t], KeyPlan.Target, t);
                if (s < 0) continue;
                sourceToTarget[s] = t;
                targetMatched[t] = true;
            }
        });

        var missing = new List<int>();
        var matchedSource = new List<int>();
        var matchedTarget = new List<int>();
        for (var s = 0; s < source.RowCount; s++)
        {
            if (!sourceRows.IsFirst[s]) continue;
            if (sourceToTarget[s] < 0)
            {
                missing.Add(s);
            }
            else
            {
                matchedSource.Add(s);
                matchedTarget.Add(sourceToTarget[s]);
            }
        }

        var unexpected = new List<int>();
        for (var t = 0; t < target.RowCount; t++)
        {
            if (targetRows.IsFirst[t] && !targetMatched[t]) unexpected.Add(t);
        }

        int[] pairSource = [.. matchedSource], pairTarget = [.. matchedTarget];
        var (changed, nullsIntroduced) = CompareValues(source, target, options, compareColumns, pairSource, pairTarget);

        var result = new ReconciliationResult
        {
            KeyColumns = keyColumns,
            ComparedColumns = compareColumns,
            SourceRows = source.RowCount,
            TargetRows = target.RowCount,
            ChangedRecords = CountChangedRecords(pairSource.Length, changed, nullsIntroduced),
            ChangedValuesByColumn = ByColumn(compareColumns, changed),
            NullsIntroducedByColumn = ByColumn(compareColumns, nullsIntroduced),
            ColumnsOnlyInSource = [.. source.Columns.Select(c => c.Name).Where(n => !target.HasColumn(n))],
            ColumnsOnlyInTarget = [.. target.Columns.Select(c => c.Name).Where(n => !source.HasColumn(n))],
            TypeMismatches = [.. keyColumns.Concat(compareColumns).Select(n => ComparisonModes.Mismatch(source[n], target[n])).OfType<ColumnTypeMismatch>()],
            MissingSourceRows = [.. missing],
            UnexpectedTargetRows = [.. unexpected],
            DuplicateSourceRows = sourceRows.Duplicates,
            DuplicateTargetRows = targetRows.Duplicates,
            NullKeySourceRows = sourceRows.NullKeys,
            NullKeyTargetRows = targetRows.NullKeys,
            MatchedSourceRows = pairSource,
            MatchedTargetRows = pairTarget,
            ChangedPairsByColumn = changed,
            NullIntroducedPairsByColumn = nullsIntroduced,
        };
        result.Samples = ReconciliationSamples.Collect(result, source, target, options.MaxSamples);
        return result;
    }

    private static string[] ResolveKeys(TypedTable source, TypedTable target, ReconciliationOptions options)
    {
        if (options.KeyColumns is not { Count: > 0 } keys)
            throw new ReconciliationException("At least one key column is required to reconcile.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key)) throw new ReconciliationException("A key column name is empty.");
            if (!seen.Add(key)) throw new ReconciliationException($"Key column '{key}' is listed more than once.");
            if (!source.HasColumn(key)) throw new ReconciliationException($"Key column '{key}' is missing from the source.");
            if (!target.HasColumn(key)) throw new ReconciliationException($"Key column '{key}' is missing from the target.");
        }

        if (!(options.NumericTolerance >= 0)) throw new ReconciliationException("The numeric tolerance must be zero or more.");
        if (options.RelativeTolerance is { } relative && !(relative >= 0))
            throw new ReconciliationException("The relative tolerance must be zero or more.");
        if (options.MaxSamples < 0) throw new ReconciliationException("The number of samples must be zero or more.");
        return [.. keys];
    }

    private static string[] ResolveCompareColumns(TypedTable source, TypedTable target, ReconciliationOptions options, string[] keys)
    {
        if (options.CompareColumns is null)
            return [.. source.Columns.Select(c => c.Name).Where(n => target.HasColumn(n) && !keys.Contains(n))];
        foreach (var name in options.CompareColumns)
        {
            if (!source.HasColumn(name)) throw new ReconciliationException($"Compare column '{name}' is missing from the source.");
            if (!target.HasColumn(name)) throw new ReconciliationException($"Compare column '{name}' is missing from the target.");
        }

        return [.. options.CompareColumns.Where(n => !keys.Contains(n)).Distinct(StringComparer.Ordinal)];
    }

    private static (KeyIndex Index, Occurrences Rows) IndexFirstOccurrences(KeyPlan plan, int side, ulong[] hashes, bool[] nullKey)
    {
        var index = new KeyIndex(plan, side, hashes.Length);
        var isFirst = new bool[hashes.Length];
        var duplicates = new List<int>();
        var nullKeys = new List<int>();
        for (var row = 0; row < hashes.Length; row++)
        {
            if (nullKey[row]) nullKeys.Add(row);
            else if (index.AddOrGetExisting(hashes[row], row) >= 0) duplicates.Add(row);
            else isFirst[row] = true;
        }

        return (index, new Occurrences(isFirst, [.. duplicates], [.. nullKeys]));
    }

    /// <summary>Every (column, chunk of pairs) is one work item; each column's defect lists come out in pair order.</summary>
    private static (int[][] Changed, int[][] NullsIntroduced) CompareValues(TypedTable source, TypedTable target, ReconciliationOptions options,
        string[] columns, int[] pairSource, int[] pairTarget)
    {
        var comparers = columns.Select(n => ValueComparer.For(source[n], target[n], options)).ToArray();
        var pairs = MatchedPairs.InVisitOrder(pairSource, pairTarget);
        var chunks = pairs.Chunks;
        var changed = new List<int>[columns.Length, chunks];
        var nulls = new List<int>[columns.Length, chunks];
        Parallel.For(0, columns.Length * chunks, item =>
        {
            var (column, chunk) = Math.DivRem(item, chunks);
            var (from, to) = pairs.Chunk(chunk);
            List<int> changedHere = [], nullsHere = [];
            comparers[column].Compare(pairs, from, to, changedHere, nullsHere);
            changedHere.Sort();
            nullsHere.Sort();
            changed[column, chunk] = changedHere;
            nulls[column, chunk] = nullsHere;
        });

        return (Concat(changed, columns.Length, chunks), Concat(nulls, columns.Length, chunks));
    }

    private static int[][] Concat(List<int>[,] parts, int columns, int chunks)
    {
        var result = new int[columns][];
        for (var c = 0; c < columns; c++)
        {
            var all = new List<int>();
            for (var k = 0; k < chunks; k++) all.AddRange(parts[c, k]);
            result[c] = [.. all];
        }

        return result;
    }

    private static int CountChangedRecords(int pairs, int[][] changed, int[][] nullsIntroduced)
    {
        var flagged = new bool[pairs];
        var count = 0;
        foreach (var pair in changed.Concat(nullsIntroduced).SelectMany(p => p))
        {
            if (!flagged[pair]) count++;
            flagged[pair] = true;
        }

        return count;
    }

    private static Dictionary<string, int> ByColumn(string[] columns, int[][] pairs)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Length; c++) counts[columns[c]] = pairs[c].Length;
        return counts;
    }

    private static int Chunks(int count) => (count + ChunkRows - 1) / ChunkRows;

    private static (int From, int To) Range(int chunk, int count) => (chunk * ChunkRows, Math.Min(count, (chunk + 1) * ChunkRows));

    private readonly record struct Occurrences(bool[] IsFirst, int[] Duplicates, int[] NullKeys);
}
