using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>One category's own relations: per target, coefficients (as the global ones) and a residual scale.</summary>
internal sealed record RelationRegime(float[][] Coefficients, float[] Scales);

/// <summary>
/// Chooses the categorical column, if any, whose values set a regime of the relations: balance_after = balance_before
/// + amount for a credit and - amount for a debit is no single linear relation, but one per value of the transaction
/// type. The choice is made by held-out residuals, not by names: the sample is split in two, relations are fitted on
/// one half globally and once per value of each candidate column (values with too few rows keep the global fit), and
/// the column that shrinks the other half's residual scales most (geometric mean over the predicted features) is
/// chosen when it shrinks them by at least <see cref="MinimumShrink"/>. A column that only splits the data without
/// changing the relations gains nothing held out (its per-value fits only add variance), so it is never chosen.
/// </summary>
internal static class RelationConditioning
{
    /// <summary>Most values a conditioning column may have (one-hot features, "(other)" included).</summary>
    public const int MaximumCategories = 16;

    /// <summary>The held-out residual scales must shrink by this factor at least (geometric mean over targets).</summary>
    public const double MinimumShrink = 1.1;

    private const int SelectionRows = 20_000;

    /// <summary>
    /// Residual scales below this (in robust-scaled feature units) count as exact: an exact relation fitted twice differs
    /// only by float rounding, which must not pass for a regime.
    /// </summary>
    private const double ScaleFloor = 1e-5;

    /// <summary>Fewest fitting rows for a value to get its own relations: a regression on every feature needs several rows per feature.</summary>
    public static int MinimumRows(int features) => Math.Max(200, 4 * features);

    public static CategoryGroup? Choose(FeatureMatrix matrix, int sampleRows, IReadOnlyList<int> targets, IReadOnlyList<FeatureSource> sources, double ridge,
        RelationSpace space)
    {
        if (targets.Count == 0) return null;
        var groups = CategoryGroup.Find(sources, MaximumCategories);
        if (groups.Count == 0) return null;
        var rows = Math.Min(sampleRows, SelectionRows);
        var fitRows = Enumerable.Range(0, rows).Where(r => r % 2 == 0).ToArray();
        var heldOut = Enumerable.Range(0, rows).Where(r => r % 2 == 1).ToArray();
        if (fitRows.Length < MinimumRows(space.Width)) return null;
        var (global, _) = RidgeRelations.Fit(matrix, fitRows, targets, ridge, space);
        var globalScales = RidgeRelations.Scales(matrix, heldOut, targets, _ => global);

        CategoryGroup? best = null;
        var bestGain = Math.Log(MinimumShrink);
        foreach (var group in groups)
        {
            var regimes = FitRegimes(matrix, fitRows, targets, group, ridge, space);
            if (regimes.All(r => r is null)) continue;
            var scales = RidgeRelations.Scales(matrix, heldOut, targets, r => CoefficientsOf(matrix.Row(r), group, regimes) ?? global);
            var gain = 0.0;
            for (var t = 0; t < targets.Count; t++) gain += Math.Log(Math.Max(globalScales[t], ScaleFloor) / Math.Max(scales[t], ScaleFloor));
            gain /= targets.Count;
            if (gain >= bestGain) (best, bestGain) = (group, gain);
        }
        return best;
    }

    /// <summary>Relations per value of the group's column, fitted on that value's rows; null where a value has too few rows.</summary>
    public static RelationRegime?[] FitRegimes(FeatureMatrix matrix, IReadOnlyList<int> rows, IReadOnlyList<int> targets, CategoryGroup group, double ridge,
        RelationSpace space)
    {
        var bySlot = Enumerable.Range(0, group.Slots).Select(_ => new List<int>()).ToArray();
        foreach (var r in rows)
        {
            var slot = group.SlotOf(matrix.Row(r));
            if (slot >= 0) bySlot[slot].Add(r);
        }
        var minimum = MinimumRows(space.Width);
        return [.. bySlot.Select(slotRows =>
        {
            if (slotRows.Count < minimum) return null;
            var (coefficients, scales) = RidgeRelations.Fit(matrix, slotRows, targets, ridge, space);
            return new RelationRegime(coefficients, scales);
        })];
    }

    /// <summary>The relations of the row's value, or null where it has none of its own.</summary>
    public static float[][]? CoefficientsOf(ReadOnlySpan<float> row, CategoryGroup group, RelationRegime?[] regimes)
    {
        var slot = group.SlotOf(row);
        return slot >= 0 ? regimes[slot]?.Coefficients : null;
    }
}
