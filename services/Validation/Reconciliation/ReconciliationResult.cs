namespace Vigil.Validation.Reconciliation;

/// <summary>
/// What <see cref="ReconciliationEngine.Reconcile"/> found. Counts and samples are for reports; every single defect
/// can be enumerated again from the row indexes kept here (<see cref="EnumerateDefects"/>), which is what
/// <see cref="ReconciliationDefectsCsv"/> writes.
/// </summary>
/// <remarks>
/// Matching: rows whose key has a null in any key column are set aside (<see cref="NullKeyRowsInSource"/>,
/// <see cref="NullKeyRowsInTarget"/>); of the rows sharing a key on one side, the first is matched and every later
/// one is a duplicate. Counts of missing, unexpected and matched are therefore counts of distinct keys.
/// </remarks>
public sealed class ReconciliationResult
{
    internal ReconciliationResult()
    {
    }

    public IReadOnlyList<string> KeyColumns { get; internal init; } = [];

    /// <summary>The columns whose values were compared, in order.</summary>
    public IReadOnlyList<string> ComparedColumns { get; internal init; } = [];

    public int SourceRows { get; internal init; }

    public int TargetRows { get; internal init; }

    /// <summary>Distinct keys present on both sides.</summary>
    public int MatchedKeys => MatchedSourceRows.Length;

    /// <summary>Distinct source keys that the target lacks.</summary>
    public int MissingInTarget => MissingSourceRows.Length;

    /// <summary>Distinct target keys that the source lacks.</summary>
    public int UnexpectedInTarget => UnexpectedTargetRows.Length;

    /// <summary>Source rows that repeat an earlier source row's key.</summary>
    public int DuplicateKeysInSource => DuplicateSourceRows.Length;

    /// <summary>Target rows that repeat an earlier target row's key.</summary>
    public int DuplicateKeysInTarget => DuplicateTargetRows.Length;

    /// <summary>Source rows with a null in a key column (not matched).</summary>
    public int NullKeyRowsInSource => NullKeySourceRows.Length;

    /// <summary>Target rows with a null in a key column (not matched).</summary>
    public int NullKeyRowsInTarget => NullKeyTargetRows.Length;

    /// <summary>Matched keys with at least one changed value or null introduced.</summary>
    public int ChangedRecords { get; internal init; }

    /// <summary>Changed values per compared column (every compared column is listed, zeros included).</summary>
    public IReadOnlyDictionary<string, int> ChangedValuesByColumn { get; internal init; } = new Dictionary<string, int>();

    /// <summary>Values present in the source and null in the target, per compared column (zeros included).</summary>
    public IReadOnlyDictionary<string, int> NullsIntroducedByColumn { get; internal init; } = new Dictionary<string, int>();

    /// <summary>Changed values over every compared column.</summary>
    public long ChangedValues => ChangedPairsByColumn.Sum(p => (long)p.Length);

    /// <summary>Nulls introduced over every compared column.</summary>
    public long NullsIntroduced => NullIntroducedPairsByColumn.Sum(p => (long)p.Length);

    public IReadOnlyList<string> ColumnsOnlyInSource { get; internal init; } = [];

    public IReadOnlyList<string> ColumnsOnlyInTarget { get; internal init; } = [];

    /// <summary>Key and compared columns whose type differs between the sides, and how they were compared.</summary>
    public IReadOnlyList<ColumnTypeMismatch> TypeMismatches { get; internal init; } = [];

    /// <summary>Up to <see cref="ReconciliationOptions.MaxSamples"/> records per defect kind; every kind is present.</summary>
    public IReadOnlyDictionary<DefectKind, IReadOnlyList<ReconciliationSample>> Samples { get; internal set; } = new Dictionary<DefectKind, IReadOnlyList<ReconciliationSample>>();

    /// <summary>
    /// 0-100: matched keys with no changed value and no null introduced, over the distinct keys of both sides
    /// (matched + missing + unexpected). 100 when neither side has a key. Duplicate and null-key rows do not count.
    /// </summary>
    public double ConsistencyScore
    {
        get
        {
            var union = MatchedKeys + MissingInTarget + UnexpectedInTarget;
            return union == 0 ? 100.0 : 100.0 * (MatchedKeys - ChangedRecords) / union;
        }
    }

    /// <summary>Every defect of every kind: the number of rows <see cref="ReconciliationDefectsCsv"/> writes.</summary>
    public long DefectCount =>
        (long)MissingInTarget + UnexpectedInTarget + DuplicateKeysInSource + DuplicateKeysInTarget + NullKeyRowsInSource + NullKeyRowsInTarget
        + ChangedValues + NullsIntroduced;

    /// <summary>
    /// No defect of any kind. Columns present on one side only and type mismatches are reported but do not fail
    /// the reconciliation on their own: they are schema drift, which the schema check judges.
    /// </summary>
    public bool Passed => DefectCount == 0;

    internal int[] MissingSourceRows { get; init; } = [];

    internal int[] UnexpectedTargetRows { get; init; } = [];

    internal int[] DuplicateSourceRows { get; init; } = [];

    internal int[] DuplicateTargetRows { get; init; } = [];

    internal int[] NullKeySourceRows { get; init; } = [];

    internal int[] NullKeyTargetRows { get; init; } = [];

    /// <summary>Matched pairs in source row order: pair i is (MatchedSourceRows[i], MatchedTargetRows[i]).</summary>
    internal int[] MatchedSourceRows { get; init; } = [];

    internal int[] MatchedTargetRows { get; init; } = [];

    /// <summary>Per compared column, the ascending pair indexes whose value changed.</summary>
    internal int[][] ChangedPairsByColumn { get; init; } = [];

    /// <summary>Per compared column, the ascending pair indexes where a null was introduced.</summary>
    internal int[][] NullIntroducedPairsByColumn { get; init; } = [];

    /// <summary>
    /// Every defect, grouped by kind in the order of <see cref="DefectKind"/>'s record-level kinds first: missing,
    /// unexpected, duplicates in source then target, null keys in source then target, then changed values and then
    /// nulls introduced, each in source row order and, within a record, in compared-column order.
    /// </summary>
    public IEnumerable<ReconciliationDefect> EnumerateDefects()
    {
        foreach (var row in MissingSourceRows) yield return new(DefectKind.MissingInTarget, row, null, null);
        foreach (var row in UnexpectedTargetRows) yield return new(DefectKind.UnexpectedInTarget, null, row, null);
        foreach (var row in DuplicateSourceRows) yield return new(DefectKind.DuplicateKeyInSource, row, null, null);
        foreach (var row in DuplicateTargetRows) yield return new(DefectKind.DuplicateKeyInTarget, null, row, null);
        foreach (var row in NullKeySourceRows) yield return new(DefectKind.NullKeyInSource, row, null, null);
        foreach (var row in NullKeyTargetRows) yield return new(DefectKind.NullKeyInTarget, null, row, null);
        foreach (var (pair, column) in ValueDefects(ChangedPairsByColumn))
            yield return new(DefectKind.ChangedValue, MatchedSourceRows[pair], MatchedTargetRows[pair], ComparedColumns[column]);
        foreach (var (pair, column) in ValueDefects(NullIntroducedPairsByColumn))
            yield return new(DefectKind.NullIntroduced, MatchedSourceRows[pair], MatchedTargetRows[pair], ComparedColumns[column]);
    }

    /// <summary>Merges per-column ascending pair lists into (pair, column) in pair order, then column order.</summary>
    internal static IEnumerable<(int Pair, int Column)> ValueDefects(int[][] pairsByColumn)
    {
        var cursors = new int[pairsByColumn.Length];
        while (true)
        {
            var next = int.MaxValue;
            for (var c = 0; c < pairsByColumn.Length; c++)
            {
                if (cursors[c] < pairsByColumn[c].Length) next = Math.Min(next, pairsByColumn[c][cursors[c]]);
            }

            if (next == int.MaxValue) yield break;
            for (var c = 0; c < pairsByColumn.Length; c++)
            {
                if (cursors[c] < pairsByColumn[c].Length && pairsByColumn[c][cursors[c]] == next)
                {
                    cursors[c]++;
                    yield return (next, c);
                }
            }
        }
    }
}
