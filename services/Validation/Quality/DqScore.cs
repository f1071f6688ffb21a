using System.Globalization;
using Vigil.Tabular.Tables;
using Vigil.Validation.Rules;
using Vigil.Validation.Rules.Checks;

namespace Vigil.Validation.Quality;

/// <summary>
/// The DQ score of a batch from its rule report. See <see cref="Formula"/> for the definition, which is also returned
/// with each score.
/// </summary>
public static class DqScore
{
    /// <summary>The definition of the score, as stored with each run (the weights are filled in).</summary>
    public const string Formula =
        "score = (wc*completeness + wu*uniqueness + wv*validity + wn*consistency + wt*timeliness) / (wc + wu + wv + wn + wt), " +
        "weights {weights}, rounded to 1 decimal. " +
        "Each dimension is 0-100: the mean over its rules of each rule's score, 100 x (1 - failing rows / checked rows) and " +
        "at most 90 for a rule that failed (so a failed rule always costs points, however few rows failed); a rule that fails " +
        "without failing rows (row_count, a missing column, an invalid rule) scores 0, one that passes with no rows to check 100. " +
        "When any rule failed the score is at most 99.9, so it never reads 100 next to a failed rule. " +
        "Rules by dimension: completeness = not_null, row_count; uniqueness = unique; validity = range, pattern, " +
        "allowed_values, max_length, type; consistency = expression (plus the reconciliation score as one more term when " +
        "given); timeliness = freshness. Severity does not matter. A dimension without rules: completeness = 100 x " +
        "(1 - null cells / cells); uniqueness = 100 x (1 - rows repeating an earlier row's key / rows) over the " +
        "key columns, 100 without key columns; validity, consistency, timeliness = 100.";

    /// <param name="reconciliationConsistency">
    /// A reconciliation's score (0-100) for the same batch; when given it is averaged into consistency as one more term.
    /// </param>
    public static DqScoreResult Compute(RuleReport report, TypedTable table, IReadOnlyList<string> keyColumns, DqWeights? weights = null,
        double? reconciliationConsistency = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keyColumns);
        weights ??= DqWeights.Default;
        weights.EnsureValid();
        if (reconciliationConsistency is { } r && (!double.IsFinite(r) || r < 0 || r > 100))
            throw new ArgumentOutOfRangeException(nameof(reconciliationConsistency), r, "A reconciliation score is between 0 and 100.");

        var terms = DqDimensions.All.ToDictionary(d => d, _ => new List<double>());
        foreach (var result in report.Results) terms[DqDimensions.Of(result.Kind)].Add(RuleScore(result));
        if (reconciliationConsistency is { } reconciliation) terms[DqDimensions.Consistency].Add(reconciliation);

        var dimensions = new Dictionary<string, double>();
        foreach (var dimension in DqDimensions.All)
        {
            var scores = terms[dimension];
            dimensions[dimension] = scores.Count > 0 ? scores.Average() : dimension switch
            {
                DqDimensions.Completeness => Completeness(table),
                DqDimensions.Uniqueness => Uniqueness(table, keyColumns),
                _ => 100,
            };
        }

        var totalWeight = DqDimensions.All.Sum(weights.Of);
        var score = Math.Round(DqDimensions.All.Sum(d => weights.Of(d) * dimensions[d]) / totalWeight, 1, MidpointRounding.AwayFromZero);
        if (report.Results.Any(r => !r.Passed)) score = Math.Min(score, MaxWithFailedRule);
        return new DqScoreResult(
            score,
            DqDimensions.All.ToDictionary(d => d, d => Math.Round(dimensions[d], 2, MidpointRounding.AwayFromZero)),
            weights,
            Formula.Replace("{weights}", DescribeWeights(weights), StringComparison.Ordinal));
    }

    /// <summary>The most a failed rule scores: one failing row in a million still costs its dimension 10 points of that rule's share.</summary>
    public const double FailedRuleCeiling = 90;

    /// <summary>The most a batch with any failed rule scores (shown with one decimal, so never 100).</summary>
    public const double MaxWithFailedRule = 99.9;

    /// <summary>
    /// 100 x (1 - failing / checked), at most <see cref="FailedRuleCeiling"/> for a failed rule; a rule that failed without
    /// failing rows is 0, one with nothing to check 100.
    /// </summary>
    public static double RuleScore(RuleResult result)
    {
        if (result.FailingRows > 0 && result.CheckedRows > 0)
        {
            var share = 100 * (1 - Math.Min(1, (double)result.FailingRows / result.CheckedRows));
            return result.Passed ? share : Math.Min(share, FailedRuleCeiling);
        }
        return result.Passed ? 100 : 0;
    }

    private static double Completeness(TypedTable table)
    {
        var cells = (double)table.RowCount * table.Columns.Count;
        return cells == 0 ? 100 : 100 * (1 - table.Columns.Sum(c => (double)c.NullCount) / cells);
    }

    private static double Uniqueness(TypedTable table, IReadOnlyList<string> keyColumns)
    {
        var keys = keyColumns.Where(table.HasColumn).Distinct(StringComparer.Ordinal).Select(name => table[name]).ToArray();
        if (keys.Length == 0 || table.RowCount == 0) return 100;
        var (repeats, _) = UniqueCheck.CountRepeats(keys, table.RowCount);
        return 100 * (1 - (double)repeats / table.RowCount);
    }

    private static string DescribeWeights(DqWeights w) => string.Create(CultureInfo.InvariantCulture,
        $"wc={w.Completeness}, wu={w.Uniqueness}, wv={w.Validity}, wn={w.Consistency}, wt={w.Timeliness}");
}
