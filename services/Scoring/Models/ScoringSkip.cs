using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Models;

/// <summary>Batches that have nothing to score: the run completes with the reason instead of failing.</summary>
public static class ScoringSkip
{
    /// <summary>The device line of a skipped batch ("not scored: ..."), or null when the batch can be scored.</summary>
    public static string? Reason(TypedTable table, IReadOnlyList<string> keyColumns)
    {
        var keys = keyColumns.ToHashSet(StringComparer.Ordinal);
        if (table.Columns.Any(c => !keys.Contains(c.Name))) return null;
        var named = string.Join(", ", keyColumns.Where(table.HasColumn).Select(k => $"'{k}'"));
        return $"not scored: the batch has no column besides its key column{(keys.Count == 1 ? "" : "s")} ({named}), so there is nothing to score";
    }
}
