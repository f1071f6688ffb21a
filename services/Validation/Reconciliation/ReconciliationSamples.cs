using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>Picks the first records of each defect kind, in row order, and renders them as text.</summary>
internal static class ReconciliationSamples
{
    public static Dictionary<DefectKind, IReadOnlyList<ReconciliationSample>> Collect(ReconciliationResult result, TypedTable source, TypedTable target, int max)
    {
        var sourceKeys = result.KeyColumns.Select(k => source[k]).ToArray();
        var targetKeys = result.KeyColumns.Select(k => target[k]).ToArray();

        ReconciliationSample SourceRecord(DefectKind kind, int row) => new(kind, Key(sourceKeys, row), row, null, []);
        ReconciliationSample TargetRecord(DefectKind kind, int row) => new(kind, Key(targetKeys, row), null, row, []);

        return new Dictionary<DefectKind, IReadOnlyList<ReconciliationSample>>
        {
            [DefectKind.MissingInTarget] = [.. result.MissingSourceRows.Take(max).Select(r => SourceRecord(DefectKind.MissingInTarget, r))],
            [DefectKind.UnexpectedInTarget] = [.. result.UnexpectedTargetRows.Take(max).Select(r => TargetRecord(DefectKind.UnexpectedInTarget, r))],
            [DefectKind.DuplicateKeyInSource] = [.. result.DuplicateSourceRows.Take(max).Select(r => SourceRecord(DefectKind.DuplicateKeyInSource, r))],
            [DefectKind.DuplicateKeyInTarget] = [.. result.DuplicateTargetRows.Take(max).Select(r => TargetRecord(DefectKind.DuplicateKeyInTarget, r))],
            [DefectKind.ChangedValue] = ValueSamples(DefectKind.ChangedValue, result.ChangedPairsByColumn, result, source, target, sourceKeys, max),
            [DefectKind.NullIntroduced] = ValueSamples(DefectKind.NullIntroduced, result.NullIntroducedPairsByColumn, result, source, target, sourceKeys, max),
            [DefectKind.NullKeyInSource] = [.. result.NullKeySourceRows.Take(max).Select(r => SourceRecord(DefectKind.NullKeyInSource, r))],
            [DefectKind.NullKeyInTarget] = [.. result.NullKeyTargetRows.Take(max).Select(r => TargetRecord(DefectKind.NullKeyInTarget, r))],
        };
    }

    /// <summary>One sample per record, listing every column of that record with this kind of defect.</summary>
    private static List<ReconciliationSample> ValueSamples(DefectKind kind, int[][] pairsByColumn, ReconciliationResult result,
        TypedTable source, TypedTable target, Column[] sourceKeys, int max)
    {
        var samples = new List<ReconciliationSample>();
        if (max == 0) return samples;
        var currentPair = -1;
        List<ValueDifference> differences = [];
        foreach (var (pair, column) in ReconciliationResult.ValueDefects(pairsByColumn))
        {
            if (pair != currentPair)
            {
                if (samples.Count == max) break;
                currentPair = pair;
                differences = [];
                samples.Add(new(kind, Key(sourceKeys, result.MatchedSourceRows[pair]), result.MatchedSourceRows[pair], result.MatchedTargetRows[pair], differences));
            }

            var name = result.ComparedColumns[column];
            differences.Add(new(name, Value(source[name], result.MatchedSourceRows[pair]), Value(target[name], result.MatchedTargetRows[pair])));
        }

        return samples;
    }

    private static Dictionary<string, string?> Key(Column[] keys, int row)
    {
        var key = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in keys) key[column.Name] = Value(column, row);
        return key;
    }

    private static string? Value(Column column, int row) => column.IsNull(row) ? null : column.GetText(row);
}
