using System.Numerics;
using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Cleaning;

/// <summary>
/// Makes the cleaned copy of a batch, in this order:
/// <list type="number">
/// <item>Exact duplicate rows (equal in every column, nulls equal to nulls) are removed; the first is kept.</item>
/// <item>Nulls are imputed from the remaining rows' non-null values: the median for integer, decimal and timestamp columns
/// (an integer or timestamp median between two values is rounded half away from zero), the mode for boolean, categorical and
/// string columns (ties go to the value that occurs first).</item>
/// <item>Each integer and decimal column gets a non-null boolean <c>&lt;column&gt;_outlier</c> column right after it, true where the
/// value was outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR]. Quartiles interpolate linearly (numpy's default) over the values before imputation,
/// so imputed rows are never flagged. Outliers are kept.</item>
/// </list>
/// Excluded columns keep their nulls and get no flag column. Columns with no non-null value keep their nulls.
/// </summary>
public static class DatasetCleaner
{
    private const ulong NullHash = 0x5DEECE66DUL;

    public static CleaningResult Clean(TypedTable table, CleaningOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        var kept = options.RemoveDuplicates ? DistinctRows(table) : [.. Enumerable.Range(0, table.RowCount)];
        var excluded = options.ExcludedColumns.ToHashSet(StringComparer.Ordinal);
        var flagNames = options.FlagOutliers
            ? table.Columns.Where(c => c.IsNumeric && !excluded.Contains(c.Name)).ToDictionary(c => c.Name, c => c.Name + options.OutlierSuffix, StringComparer.Ordinal)
            : [];
        foreach (var flag in flagNames.Values)
        {
            // A flag column from an earlier cleaning is replaced; any other column of that name is not ours to overwrite.
            if (table.TryGetColumn(flag, out var existing) && existing.Type != ColumnType.Boolean)
                throw new ArgumentException($"The batch already has a {existing.Type.ToString().ToLowerInvariant()} column '{flag}', the name of an outlier flag column.", nameof(table));
        }
        var replaced = flagNames.Values.ToHashSet(StringComparer.Ordinal);

        var columns = new List<Column>(table.Columns.Count + flagNames.Count);
        var imputed = new Dictionary<string, long>(StringComparer.Ordinal);
        var outliers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (replaced.Contains(column.Name)) continue;
            var impute = options.ImputeNulls && !excluded.Contains(column.Name);
            var (cleaned, filled, flags) = column.Type switch
            {
                ColumnType.Integer or ColumnType.Timestamp => CleanInt64(column, kept, impute, flagNames.ContainsKey(column.Name), options.IqrMultiplier),
                ColumnType.Decimal => CleanDoubles(column, kept, impute, flagNames.ContainsKey(column.Name), options.IqrMultiplier),
                ColumnType.Boolean => CleanBooleans(column, kept, impute),
                ColumnType.Categorical => CleanCategories(column, kept, impute),
                _ => CleanStrings(column, kept, impute),
            };
            columns.Add(cleaned);
            if (filled > 0) imputed[column.Name] = filled;
            if (flags is not null)
            {
                columns.Add(Column.Booleans(flagNames[column.Name], flags, new bool[kept.Length]));
                outliers[column.Name] = flags.Count(f => f);
            }
        }
        return new CleaningResult
        {
            Cleaned = new TypedTable(columns, kept.Length),
            DuplicatesRemoved = table.RowCount - kept.Length,
            ImputedByColumn = imputed,
            OutliersByColumn = outliers,
        };
    }

    /// <summary>The rows that are not an exact copy of an earlier row, in order.</summary>
    internal static int[] DistinctRows(TypedTable table)
    {
        var n = table.RowCount;
        var hashes = new ulong[n];
        foreach (var column in table.Columns) AddRowHashes(column, hashes);

        var heads = new Dictionary<ulong, int>(n);
        var next = new int[n];
        var kept = new int[n];
        var count = 0;
        for (var row = 0; row < n; row++)
        {
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(heads, hashes[row], out var exists);
            if (exists)
            {
                var duplicate = false;
                for (var earlier = head; earlier >= 0 && !duplicate; earlier = next[earlier]) duplicate = RowsEqual(table, earlier, row);
                if (duplicate) continue;
                next[row] = head;
            }
            else
            {
                next[row] = -1;
            }
            head = row;
            kept[count++] = row;
        }
        return kept[..count];
    }

    private static void AddRowHashes(Column column, ulong[] hashes)
    {
        var nulls = column.NullMask;
        switch (column.Type)
        {
            case ColumnType.Integer or ColumnType.Timestamp:
                var longs = column.Int64Values;
                for (var r = 0; r < hashes.Length; r++) hashes[r] = ValueHash.Combine(hashes[r], nulls[r] ? NullHash : ValueHash.Of(longs[r]));
                break;
            case ColumnType.Decimal:
                var doubles = column.DoubleValues;
                for (var r = 0; r < hashes.Length; r++) hashes[r] = ValueHash.Combine(hashes[r], nulls[r] ? NullHash : ValueHash.Of(doubles[r]));
                break;
            case ColumnType.Boolean:
                for (var r = 0; r < hashes.Length; r++) hashes[r] = ValueHash.Combine(hashes[r], nulls[r] ? NullHash : column.GetBoolean(r) ? 1UL : 2UL);
                break;
            case ColumnType.Categorical:
                var categoryHashes = column.Categories.Select(ValueHash.Of).ToArray();
                for (var r = 0; r < hashes.Length; r++) hashes[r] = ValueHash.Combine(hashes[r], nulls[r] ? NullHash : categoryHashes[column.GetCategoryCode(r)]);
                break;
            default:
                for (var r = 0; r < hashes.Length; r++) hashes[r] = ValueHash.Combine(hashes[r], nulls[r] ? NullHash : ValueHash.Of(column.GetString(r)));
                break;
        }
    }

    private static bool RowsEqual(TypedTable table, int a, int b)
    {
        foreach (var column in table.Columns)
        {
            var nullA = column.IsNull(a);
            if (nullA != column.IsNull(b)) return false;
            if (nullA) continue;
            var equal = column.Type switch
            {
                ColumnType.Integer or ColumnType.Timestamp => column.Int64Values[a] == column.Int64Values[b],
                ColumnType.Decimal => column.DoubleValues[a] == column.DoubleValues[b],
                ColumnType.Boolean => column.GetBoolean(a) == column.GetBoolean(b),
                _ => string.Equals(column.GetString(a), column.GetString(b), StringComparison.Ordinal),
            };
            if (!equal) return false;
        }
        return true;
    }

    private static (Column, long, bool[]?) CleanInt64(Column column, int[] kept, bool impute, bool flag, double k)
    {
        var (values, nulls, filled, flags) = CleanNumbers(column.Int64Values, column, kept, impute, flag, k, Median);
        var cleaned = column.Type == ColumnType.Timestamp ? Column.Timestamps(column.Name, values, nulls) : Column.Integers(column.Name, values, nulls);
        return (cleaned, filled, flags);
    }

    private static (Column, long, bool[]?) CleanDoubles(Column column, int[] kept, bool impute, bool flag, double k)
    {
        var (values, nulls, filled, flags) = CleanNumbers(column.DoubleValues, column, kept, impute, flag, k, work => QuantileMath.Of<double>(work, [0.5])[0]);
        return (Column.Decimals(column.Name, values, nulls), filled, flags);
    }

    /// <summary>The kept rows of a numeric column, with nulls imputed by <paramref name="median"/> and IQR outliers flagged when asked.</summary>
    private static (T[] Values, bool[] Nulls, long Filled, bool[]? Flags) CleanNumbers<T>(ReadOnlySpan<T> source, Column column, int[] kept,
        bool impute, bool flag, double k, Func<T[], T> median) where T : unmanaged, INumber<T>
    {
        var values = new T[kept.Length];
        var nulls = new bool[kept.Length];
        var present = 0;
        for (var i = 0; i < kept.Length; i++)
        {
            nulls[i] = column.IsNull(kept[i]);
            if (nulls[i]) continue;
            values[i] = source[kept[i]];
            present++;
        }

        long filled = 0;
        bool[]? flags = null;
        var fill = impute && present < kept.Length;
        if (present > 0 && (fill || flag))
        {
            var work = new T[present];
            for (int i = 0, j = 0; i < kept.Length; i++)
            {
                if (!nulls[i]) work[j++] = values[i];
            }
            // Quartiles first (they reorder the copy), then the median: positions ascend, so earlier work is reused.
            if (flag) flags = Flags<T>(values, nulls, work, k);
            if (fill) filled = Fill(values, nulls, median(work));
        }
        return (values, nulls, filled, flags);
    }

    private static (Column, long, bool[]?) CleanBooleans(Column column, int[] kept, bool impute)
    {
        var values = new bool[kept.Length];
        var nulls = new bool[kept.Length];
        int trues = 0, falses = 0, firstTrue = -1, firstFalse = -1;
        for (var i = 0; i < kept.Length; i++)
        {
            nulls[i] = column.IsNull(kept[i]);
            if (nulls[i]) continue;
            values[i] = column.GetBoolean(kept[i]);
            if (values[i]) { if (trues++ == 0) firstTrue = i; }
            else if (falses++ == 0) firstFalse = i;
        }
        long filled = 0;
        if (impute && trues + falses > 0)
        {
            var mode = trues > falses || (trues == falses && firstTrue < firstFalse);
            filled = Fill(values, nulls, mode);
        }
        return (Column.Booleans(column.Name, values, nulls), filled, null);
    }

    private static (Column, long, bool[]?) CleanCategories(Column column, int[] kept, bool impute)
    {
        var categories = column.Categories.ToArray();
        var codes = new int[kept.Length];
        var nulls = new bool[kept.Length];
        var counts = new int[categories.Length];
        var first = new int[categories.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            nulls[i] = column.IsNull(kept[i]);
            if (nulls[i]) continue;
            codes[i] = column.GetCategoryCode(kept[i]);
            if (counts[codes[i]]++ == 0) first[codes[i]] = i;
        }
        long filled = 0;
        if (impute)
        {
            var mode = -1;
            for (var code = 0; code < categories.Length; code++)
            {
                if (counts[code] > 0 && (mode < 0 || counts[code] > counts[mode] || (counts[code] == counts[mode] && first[code] < first[mode]))) mode = code;
            }
            if (mode >= 0) filled = Fill(codes, nulls, mode);
        }
        return (Column.Categoricals(column.Name, codes, categories, nulls), filled, null);
    }

    private static (Column, long, bool[]?) CleanStrings(Column column, int[] kept, bool impute)
    {
        var values = new string?[kept.Length];
        var nulls = new bool[kept.Length];
        var present = 0;
        for (var i = 0; i < kept.Length; i++)
        {
            nulls[i] = column.IsNull(kept[i]);
            if (nulls[i]) continue;
            values[i] = column.GetString(kept[i]);
            present++;
        }
        long filled = 0;
        if (impute && present > 0 && present < kept.Length)
        {
            var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
            for (var i = 0; i < kept.Length; i++)
            {
                if (nulls[i]) continue;
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, values[i]!, out var exists);
                entry = exists ? (entry.Count + 1, entry.First) : (1, i);
            }
            var mode = counts.MaxBy(p => (p.Value.Count, -p.Value.First)).Key;
            filled = Fill(values, nulls, mode);
        }
        return (Column.Strings(column.Name, values, nulls), filled, null);
    }

    /// <summary>Writes <paramref name="value"/> into every null slot and clears the mask; returns how many were filled.</summary>
    private static long Fill<T>(T[] values, bool[] nulls, T value)
    {
        long filled = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!nulls[i]) continue;
            values[i] = value;
            nulls[i] = false;
            filled++;
        }
        return filled;
    }

    /// <summary>True for each non-null value outside [Q1 - k·IQR, Q3 + k·IQR] of the non-null values in <paramref name="work"/> (reordered).</summary>
    private static bool[] Flags<T>(ReadOnlySpan<T> values, ReadOnlySpan<bool> nulls, Span<T> work, double k)
        where T : unmanaged, INumber<T>
    {
        var quartiles = QuantileMath.Of(work, [0.25, 0.75]);
        var (q1, q3) = (quartiles[0], quartiles[1]);
        var low = q1 - k * (q3 - q1);
        var high = q3 + k * (q3 - q1);
        var flags = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls[i]) continue;
            var v = double.CreateTruncating(values[i]);
            flags[i] = v < low || v > high;
        }
        return flags;
    }

    /// <summary>The middle value, or the two middle values' mean rounded half away from zero (reorders <paramref name="work"/>).</summary>
    private static long Median(long[] work)
    {
        var (low, high) = QuantileMath.OrderStatistics<long>(work, (work.Length - 1) / 2);
        if (work.Length % 2 == 1) return low;
        var sum = (Int128)low + high;
        var half = sum / 2;
        return (long)(sum % 2 == 0 ? half : sum > 0 ? half + 1 : half - 1);
    }
}
