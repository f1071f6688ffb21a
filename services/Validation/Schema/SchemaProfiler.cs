using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Schema;

/// <summary>
/// Profiles a batch: per column its type, nullability, null rate, distinct count and the type's statistics
/// (see <see cref="ColumnProfile"/>). Numeric columns take two passes over their raw value arrays (min/max/sum, then
/// variance, distinct count and the quantile sample), quantiles come from quickselect on the sample, and nothing is allocated
/// per row; columns are profiled in parallel on large batches.
/// </summary>
public static class SchemaProfiler
{
    private const int ParallelRowThreshold = 50_000;

    public static SchemaSnapshot Profile(TypedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var profiles = new ColumnProfile[table.Columns.Count];
        if (table.RowCount >= ParallelRowThreshold && profiles.Length > 1)
        {
            Parallel.For(0, profiles.Length, i => profiles[i] = ProfileColumn(table.Columns[i]));
        }
        else
        {
            for (var i = 0; i < profiles.Length; i++) profiles[i] = ProfileColumn(table.Columns[i]);
        }
        return new SchemaSnapshot { Columns = profiles, RowCount = table.RowCount, Source = SchemaSource.Profiled };
    }

    public static ColumnProfile ProfileColumn(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var basis = new ColumnProfile
        {
            Name = column.Name,
            Type = column.Type,
            Nullable = column.NullCount > 0,
            NullRate = column.Length == 0 ? 0 : (double)column.NullCount / column.Length,
        };
        if (column.NullCount == column.Length) return basis;
        return column.Type switch
        {
            ColumnType.Integer => ProfileNumbers(basis, column.Int64Values, column.NullMask, column.NullCount),
            ColumnType.Decimal => ProfileNumbers(basis, column.DoubleValues, column.NullMask, column.NullCount),
            ColumnType.Timestamp => ProfileTimestamps(basis, column),
            ColumnType.Boolean => ProfileBooleans(basis, column),
            ColumnType.Categorical => ProfileCategories(basis, column),
            _ => ProfileStrings(basis, column),
        };
    }

    private static ColumnProfile ProfileNumbers<T>(ColumnProfile basis, ReadOnlySpan<T> values, ReadOnlySpan<bool> nulls, int nullCount)
        where T : unmanaged, INumber<T>
    {
        var present = values.Length - nullCount;
        var min = T.Zero;
        var max = T.Zero;
        var sum = 0.0;
        var first = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls[i]) continue;
            var v = values[i];
            if (first) { min = max = v; first = false; }
            else if (v < min) min = v;
            else if (v > max) max = v;
            sum += double.CreateTruncating(v);
        }
        var mean = sum / present;

        var distinct = new DistinctCounter();
        var squares = 0.0;
        var stride = (present + ColumnProfile.QuantileSampleSize - 1) / ColumnProfile.QuantileSampleSize;
        var sample = new double[(present + stride - 1) / stride];
        var taken = 0;
        var untilSample = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls[i]) continue;
            var v = double.CreateTruncating(values[i]);
            var d = v - mean;
            squares += d * d;
            distinct.Add(Hash(values[i]));
            if (untilSample-- > 0) continue;
            sample[taken++] = v;
            untilSample = stride - 1;
        }

        return basis with
        {
            Min = double.CreateTruncating(min),
            Max = double.CreateTruncating(max),
            Mean = mean,
            StdDev = Math.Sqrt(squares / present),
            DistinctCount = distinct.Count,
            DistinctApproximate = distinct.Approximate,
            Quantiles = QuantileMath.Of(sample, ColumnProfile.QuantileLevels),
        };
    }

    private static ColumnProfile ProfileTimestamps(ColumnProfile basis, Column column)
    {
        var ticks = column.Int64Values;
        var nulls = column.NullMask;
        var min = long.MaxValue;
        var max = long.MinValue;
        var distinct = new DistinctCounter();
        for (var i = 0; i < ticks.Length; i++)
        {
            if (nulls[i]) continue;
            min = Math.Min(min, ticks[i]);
            max = Math.Max(max, ticks[i]);
            distinct.Add(ValueHash.Of(ticks[i]));
        }
        return basis with
        {
            MinText = new DateTimeOffset(min, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
            MaxText = new DateTimeOffset(max, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
            DistinctCount = distinct.Count,
            DistinctApproximate = distinct.Approximate,
        };
    }

    private static ColumnProfile ProfileBooleans(ColumnProfile basis, Column column)
    {
        long trues = 0, falses = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i)) continue;
            if (column.GetBoolean(i)) trues++; else falses++;
        }
        var categories = RankCategories([("true", trues), ("false", falses)], out _);
        return basis with { DistinctCount = categories.Count, Categories = categories };
    }

    private static ColumnProfile ProfileCategories(ColumnProfile basis, Column column)
    {
        var names = column.Categories;
        var counts = new long[names.Count];
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i)) counts[column.GetCategoryCode(i)]++;
        }
        var categories = RankCategories(names.Select((name, code) => (name, counts[code])), out var total);
        return basis with { DistinctCount = total, Categories = categories, CategoriesTruncated = total > categories.Count };
    }

    private static ColumnProfile ProfileStrings(ColumnProfile basis, Column column)
    {
        var distinct = new DistinctCounter();
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i)) distinct.Add(ValueHash.Of(column.GetString(i)));
        }
        return basis with { DistinctCount = distinct.Count, DistinctApproximate = distinct.Approximate };
    }

    /// <summary>Categories that occur, most frequent first, ties in ordinal order, at most <see cref="ColumnProfile.MaxCategories"/>.</summary>
    private static List<string> RankCategories(IEnumerable<(string Name, long Count)> counts, out long occurring)
    {
        var seen = counts.Where(c => c.Count > 0).ToList();
        occurring = seen.Count;
        return
        [
            .. seen.OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Take(ColumnProfile.MaxCategories).Select(c => c.Name),
        ];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash<T>(T value) where T : unmanaged, INumber<T> =>
        typeof(T) == typeof(double) ? ValueHash.Of(double.CreateTruncating(value)) : ValueHash.Of(long.CreateTruncating(value));
}
