using System.Globalization;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Schema;

/// <summary>
/// Compares a batch's schema with the dataset's last accepted one (or its declared expected schema).
/// <list type="bullet">
/// <item>Columns are matched by exact name. An unmatched accepted column and an unmatched current column of the same type
/// are one <see cref="DriftKind.ColumnRenamed"/> when their names are equal after normalising case and separators, when their
/// profiles are alike (null rates within <see cref="DriftOptions.RenameNullRateTolerance"/> and, by type, overlapping range with a
/// quantile PSI within <see cref="DriftOptions.PsiThreshold"/>, overlapping time range, categories with Jaccard ≥ 0.8, or distinct
/// ratios within 0.1), or when their names are close (<see cref="NameSimilarity.AreClose"/>) and the profiles do not contradict it
/// (alike, or nothing to compare against a declared schema). Best pairs are taken first, each column once.</item>
/// <item>Breaking: removed and renamed columns, type changes other than between Integer and Decimal or between Categorical and String,
/// and nulls in a column that had none (beyond <see cref="DriftOptions.NullRateTolerance"/>). Everything else is reported but not breaking.</item>
/// <item>Compatible type changes (Integer and Decimal, Categorical and String) are <see cref="DriftSeverity.Info"/>: the values still fit
/// what consumers read. When either side has fewer than <see cref="DriftOptions.MinRowsForProfileShift"/> rows they are not reported at
/// all: a handful of whole numbers in a decimal column, or of repeated texts in a string column, says nothing about the data.</item>
/// <item>Profile shifts (numeric mean beyond <see cref="DriftOptions.MeanShiftStdDevs"/> accepted standard deviations, null rate change
/// beyond <see cref="DriftOptions.NullRateShift"/>, PSI over the accepted quantile bins beyond <see cref="DriftOptions.PsiThreshold"/>)
/// are only looked for when both snapshots are profiled and each has at least <see cref="DriftOptions.MinRowsForProfileShift"/> rows.</item>
/// <item>A profiled column with no value at all (only nulls, or an empty batch) has no real type: it never makes a type change,
/// and a type change from it is not breaking.</item>
/// </list>
/// </summary>
public static class DriftDetector
{
    private const double CategoryJaccardForRename = 0.8;
    private const double DistinctRatioToleranceForRename = 0.1;
    private const int MaxValuesInDetail = 20;

    public static DriftReport Compare(SchemaSnapshot accepted, SchemaSnapshot current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        var profiled = accepted.Source == SchemaSource.Profiled && current.Source == SchemaSource.Profiled;
        var sides = (Accepted: accepted.Source == SchemaSource.Profiled, Current: current.Source == SchemaSource.Profiled);
        var enoughRows = Enough(accepted, options) && Enough(current, options);

        var currentByName = new Dictionary<string, ColumnProfile>(StringComparer.Ordinal);
        foreach (var column in current.Columns) currentByName.TryAdd(column.Name, column);
        var acceptedNames = accepted.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        var removed = accepted.Columns.Where(c => !currentByName.ContainsKey(c.Name)).ToList();
        var added = current.Columns.Where(c => !acceptedNames.Contains(c.Name)).ToList();
        var renames = PairRenames(removed, added, accepted.RowCount, current.RowCount, profiled, options);
        var renamedTo = renames.Values.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        var findings = new List<DriftFinding>();
        foreach (var before in accepted.Columns)
        {
            if (currentByName.TryGetValue(before.Name, out var after))
            {
                CompareColumn(before, after, sides, enoughRows, options, findings);
            }
            else if (renames.TryGetValue(before.Name, out var renamed))
            {
                findings.Add(new DriftFinding
                {
                    Kind = DriftKind.ColumnRenamed,
                    Column = before.Name,
                    RelatedColumn = renamed.Name,
                    Detail = $"Column '{before.Name}' looks renamed to '{renamed.Name}'",
                    Breaking = true,
                });
            }
            else
            {
                findings.Add(new DriftFinding
                {
                    Kind = DriftKind.ColumnRemoved,
                    Column = before.Name,
                    Detail = $"Column '{before.Name}' ({Words(before.Type)}) is missing",
                    Breaking = true,
                });
            }
        }
        foreach (var column in added.Where(c => !renamedTo.Contains(c.Name)))
        {
            findings.Add(new DriftFinding
            {
                Kind = DriftKind.ColumnAdded,
                Column = column.Name,
                Detail = $"Column '{column.Name}' ({Words(column.Type)}) is new",
                Breaking = false,
            });
        }
        return new DriftReport(findings);
    }

    /// <summary>Whether a batch whose column changed type from <paramref name="from"/> to <paramref name="to"/> still fits its consumers.</summary>
    public static bool IsBreakingTypeChange(ColumnType from, ColumnType to) => (from, to) switch
    {
        _ when from == to => false,
        (ColumnType.Integer, ColumnType.Decimal) or (ColumnType.Decimal, ColumnType.Integer) => false,
        (ColumnType.Categorical, ColumnType.String) or (ColumnType.String, ColumnType.Categorical) => false,
        _ => true,
    };

    /// <summary>Whether a type change keeps every value readable as the accepted type's kind (numbers stay numbers, texts stay texts).</summary>
    public static bool IsCompatibleTypeChange(ColumnType from, ColumnType to) => from != to && !IsBreakingTypeChange(from, to);

    /// <summary>A declared schema counts as large enough: it has no measured profile that a small batch could contradict by chance.</summary>
    private static bool Enough(SchemaSnapshot snapshot, DriftOptions options) =>
        snapshot.Source == SchemaSource.Declared || snapshot.RowCount >= options.MinRowsForProfileShift;

    private static void CompareColumn(ColumnProfile before, ColumnProfile after, (bool Accepted, bool Current) sides, bool enoughRows,
        DriftOptions options, List<DriftFinding> findings)
    {
        var name = before.Name;
        var profiled = sides.Accepted && sides.Current;
        // A profiled column without a single value has no inferred type (it reads as string): only its nulls are news.
        var valuesBefore = !sides.Accepted || before.DistinctCount > 0;
        var valuesAfter = !sides.Current || after.DistinctCount > 0;
        var compatible = IsCompatibleTypeChange(before.Type, after.Type);
        if (before.Type != after.Type && valuesAfter && !(compatible && !enoughRows))
        {
            var breaking = valuesBefore && IsBreakingTypeChange(before.Type, after.Type);
            findings.Add(new DriftFinding
            {
                Kind = DriftKind.TypeChanged,
                Column = name,
                Detail = $"Column '{name}' changed type from {Words(before.Type)} to {Words(after.Type)}{(valuesBefore ? "" : " (it had only nulls before)")}"
                    + (compatible && valuesBefore ? " (compatible: the values still fit)" : ""),
                Breaking = breaking,
                Severity = compatible || !valuesBefore ? DriftSeverity.Info : DriftSeverity.Warning,
            });
            if (breaking) return;
        }

        if (!before.Nullable && after.NullRate > 0)
        {
            var breaking = after.NullRate > options.NullRateTolerance;
            findings.Add(new DriftFinding
            {
                Kind = DriftKind.NullabilityChanged,
                Column = name,
                Detail = breaking
                    ? $"Column '{name}' had no nulls and now has {Percent(after.NullRate)} nulls"
                    : $"Column '{name}' had no nulls and now has {Percent(after.NullRate)} nulls, within the {Percent(options.NullRateTolerance)} tolerance",
                Breaking = breaking,
            });
        }
        else if (profiled && enoughRows && before.Nullable && !after.Nullable)
        {
            findings.Add(new DriftFinding
            {
                Kind = DriftKind.NullabilityChanged,
                Column = name,
                Detail = $"Column '{name}' had {Percent(before.NullRate)} nulls and now has none",
                Breaking = false,
            });
        }

        if (before.Type == ColumnType.Categorical && after.Type == ColumnType.Categorical
            && before is { Categories: { } known, CategoriesTruncated: false } && after.Categories is { } seen)
        {
            var knownSet = known.ToHashSet(StringComparer.Ordinal);
            var fresh = seen.Where(c => !knownSet.Contains(c)).ToList();
            if (fresh.Count > 0)
            {
                var listed = string.Join(", ", fresh.Take(MaxValuesInDetail).Select(c => $"'{c}'"));
                findings.Add(new DriftFinding
                {
                    Kind = DriftKind.NewCategories,
                    Column = name,
                    Detail = $"Column '{name}' has {fresh.Count} new {(fresh.Count == 1 ? "category" : "categories")}: {listed}{(fresh.Count > MaxValuesInDetail ? ", ..." : "")}",
                    Breaking = false,
                    Values = fresh,
                });
            }
        }

        if (profiled && enoughRows && ShiftReasons(before, after, options) is { Count: > 0 } reasons)
        {
            findings.Add(new DriftFinding
            {
                Kind = DriftKind.ProfileShift,
                Column = name,
                Detail = $"Column '{name}' shifted: {string.Join("; ", reasons)}",
                Breaking = false,
            });
        }
    }

    private static List<string> ShiftReasons(ColumnProfile before, ColumnProfile after, DriftOptions options)
    {
        var reasons = new List<string>();
        if (Math.Abs(after.NullRate - before.NullRate) > options.NullRateShift)
        {
            reasons.Add($"null rate {Percent(before.NullRate)} -> {Percent(after.NullRate)}");
        }
        if (before is { Mean: { } meanBefore, StdDev: { } sd } && after.Mean is { } meanAfter)
        {
            var moved = Math.Abs(meanAfter - meanBefore);
            var shifted = sd > 0
                ? moved > options.MeanShiftStdDevs * sd
                : moved > 1e-9 * Math.Max(1, Math.Abs(meanBefore));
            if (shifted)
            {
                var inSds = sd > 0 ? $" ({(moved / sd).ToString("0.#", CultureInfo.InvariantCulture)} standard deviations)" : "";
                reasons.Add($"mean {Number(meanBefore)} -> {Number(meanAfter)}{inSds}");
            }
        }
        if (QuantilePsi(before, after) is { } psi && psi > options.PsiThreshold)
        {
            reasons.Add($"PSI {psi.ToString("0.###", CultureInfo.InvariantCulture)} over the accepted quantile bins");
        }
        return reasons;
    }

    /// <summary>
    /// Population stability index of <paramref name="current"/> against <paramref name="accepted"/> over the bins the accepted
    /// quantiles cut (below p01, p01-p25, ..., above p99). Each side's share of a bin comes from its own approximate CDF: linear between
    /// its (min, 0), its quantiles and (max, 1). Null when either side lacks quantiles.
    /// </summary>
    internal static double? QuantilePsi(ColumnProfile accepted, ColumnProfile current)
    {
        if (CdfPoints(accepted) is not { } before || CdfPoints(current) is not { } after) return null;
        const double floor = 1e-4;
        var psi = 0.0;
        double previousBefore = 0, previousAfter = 0;
        var edges = accepted.Quantiles!.Distinct().Append(double.PositiveInfinity);
        foreach (var edge in edges)
        {
            var cdfBefore = Cdf(before, edge);
            var cdfAfter = Cdf(after, edge);
            var shareBefore = Math.Max(cdfBefore - previousBefore, floor);
            var shareAfter = Math.Max(cdfAfter - previousAfter, floor);
            psi += (shareAfter - shareBefore) * Math.Log(shareAfter / shareBefore);
            (previousBefore, previousAfter) = (cdfBefore, cdfAfter);
        }
        return psi;
    }

    private static (double X, double P)[]? CdfPoints(ColumnProfile profile)
    {
        if (profile is not { Quantiles: { } q, Min: { } min, Max: { } max } || q.Count != ColumnProfile.QuantileLevels.Count) return null;
        return [(min, 0), .. q.Select((x, i) => (x, ColumnProfile.QuantileLevels[i])), (max, 1)];
    }

    /// <summary>P(X ≤ x) on the piecewise linear CDF through <paramref name="points"/> (x ascending; ties are jumps).</summary>
    private static double Cdf((double X, double P)[] points, double x)
    {
        if (x < points[0].X) return 0;
        if (x >= points[^1].X) return 1;
        var i = points.Length - 1;
        while (points[i].X > x) i--;
        var (x0, p0) = points[i];
        var (x1, p1) = points[i + 1];
        return p0 + (x - x0) / (x1 - x0) * (p1 - p0);
    }

    private static Dictionary<string, ColumnProfile> PairRenames(List<ColumnProfile> removed, List<ColumnProfile> added,
        long rowsBefore, long rowsAfter, bool profiled, DriftOptions options)
    {
        var candidates = new List<(double Score, int Old, int New)>();
        for (var i = 0; i < removed.Count; i++)
        {
            for (var j = 0; j < added.Count; j++)
            {
                if (RenameScore(removed[i], added[j], rowsBefore, rowsAfter, profiled, options) is { } score) candidates.Add((score, i, j));
            }
        }
        var pairs = new Dictionary<string, ColumnProfile>(StringComparer.Ordinal);
        var taken = new HashSet<int>();
        foreach (var (_, i, j) in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Old).ThenBy(c => c.New))
        {
            if (pairs.ContainsKey(removed[i].Name) || !taken.Add(j)) continue;
            pairs[removed[i].Name] = added[j];
        }
        return pairs;
    }

    private static double? RenameScore(ColumnProfile before, ColumnProfile after, long rowsBefore, long rowsAfter, bool profiled, DriftOptions options)
    {
        if (before.Type != after.Type) return null;
        var normalised = NameSimilarity.Normalise(before.Name);
        var sameName = normalised.Length > 0 && normalised == NameSimilarity.Normalise(after.Name);
        var close = NameSimilarity.AreClose(before.Name, after.Name, options.RenameMaxEditDistance);
        var alike = profiled && ProfilesAlike(before, after, rowsBefore, rowsAfter, options);
        if (sameName) return alike ? 5 : 4;
        if (alike) return close ? 3 : 2;
        if (close && !profiled) return 1;
        return null;
    }

    private static bool ProfilesAlike(ColumnProfile before, ColumnProfile after, long rowsBefore, long rowsAfter, DriftOptions options)
    {
        if (Math.Abs(before.NullRate - after.NullRate) > options.RenameNullRateTolerance) return false;
        switch (before.Type)
        {
            case ColumnType.Integer or ColumnType.Decimal:
                if (before.Quantiles is null || after.Quantiles is null) return before.Quantiles is null && after.Quantiles is null;
                return before.Min <= after.Max && after.Min <= before.Max
                    && QuantilePsi(before, after) is { } psi && psi <= options.PsiThreshold;
            case ColumnType.Timestamp:
                if (before.MinText is null || after.MinText is null) return before.MinText is null && after.MinText is null;
                return Instant(before.MinText) <= Instant(after.MaxText!) && Instant(after.MinText) <= Instant(before.MaxText!);
            case ColumnType.Categorical or ColumnType.Boolean:
                var a = (before.Categories ?? []).ToHashSet(StringComparer.Ordinal);
                var b = (after.Categories ?? []).ToHashSet(StringComparer.Ordinal);
                var union = a.Union(b).Count();
                return union == 0 || (double)a.Intersect(b).Count() / union >= CategoryJaccardForRename;
            default:
                return Math.Abs(DistinctRatio(before, rowsBefore) - DistinctRatio(after, rowsAfter)) <= DistinctRatioToleranceForRename;
        }
    }

    private static double DistinctRatio(ColumnProfile profile, long rows)
    {
        var present = rows * (1 - profile.NullRate);
        return present < 1 ? 0 : Math.Min(1, profile.DistinctCount / present);
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Words(ColumnType type) => type.ToString().ToLowerInvariant();

    private static string Percent(double share) => share.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
