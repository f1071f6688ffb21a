using Vigil.Tabular.Tables;
using Vigil.Validation.Schema;

namespace Vigil.Validation.UnitTests.Schema;

public sealed class SchemaProfilerTests
{
    private static ColumnProfile ProfileOf(params string?[] values) =>
        SchemaProfiler.Profile(TypedTable.FromRows(["c"], values.Select(v => new[] { v }))).Columns[0];

    [Fact]
    public void Integer_column_profile_has_exact_min_max_mean_stddev_null_rate_and_distinct_count()
    {
        var profile = ProfileOf("1", "2", null, "4", "5", "4");

        Assert.Equal(ColumnType.Integer, profile.Type);
        Assert.True(profile.Nullable);
        Assert.Equal(1.0 / 6, profile.NullRate, 12);
        Assert.Equal(4, profile.DistinctCount);
        Assert.False(profile.DistinctApproximate);
        Assert.Equal(1, profile.Min);
        Assert.Equal(5, profile.Max);
        Assert.Equal(3.2, profile.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(2.16), profile.StdDev!.Value, 12);
        Assert.Null(profile.Categories);
        Assert.Null(profile.MinText);
    }

    [Fact]
    public void Numeric_quantiles_interpolate_linearly_between_sorted_values()
    {
        var profile = ProfileOf("5", "1", "4", "2", "4");

        Assert.Equal([1.04, 2, 4, 4, 4.96], profile.Quantiles!.Select(q => Math.Round(q, 10)));
    }

    [Fact]
    public void Decimal_column_without_nulls_is_not_nullable()
    {
        var profile = ProfileOf("1.5", "-2.25", "10");

        Assert.Equal(ColumnType.Decimal, profile.Type);
        Assert.False(profile.Nullable);
        Assert.Equal(0, profile.NullRate);
        Assert.Equal(-2.25, profile.Min);
        Assert.Equal(10, profile.Max);
        Assert.Equal(3.0833333333, profile.Mean!.Value, 9);
        Assert.Equal(3, profile.DistinctCount);
    }

    [Fact]
    public void Categorical_column_lists_its_categories_most_frequent_first()
    {
        var profile = ProfileOf("b", "a", "c", "a", "b", "a", null);

        Assert.Equal(ColumnType.Categorical, profile.Type);
        Assert.Equal(["a", "b", "c"], profile.Categories!);
        Assert.False(profile.CategoriesTruncated);
        Assert.Equal(3, profile.DistinctCount);
        Assert.Equal(1.0 / 7, profile.NullRate, 12);
        Assert.Null(profile.Mean);
        Assert.Null(profile.Quantiles);
    }

    [Fact]
    public void Categories_beyond_200_are_cut_to_the_most_frequent_and_marked_truncated()
    {
        var categories = Enumerable.Range(0, 250).Select(i => $"k{i:000}").ToArray();
        // Category i occurs i + 1 times, so the 200 most frequent are k249 down to k050.
        var codes = Enumerable.Range(0, 250).SelectMany(i => Enumerable.Repeat(i, i + 1)).ToArray();
        var column = Column.Categoricals("k", codes, categories, new bool[codes.Length]);

        var profile = SchemaProfiler.ProfileColumn(column);

        Assert.Equal(250, profile.DistinctCount);
        Assert.True(profile.CategoriesTruncated);
        Assert.Equal(200, profile.Categories!.Count);
        Assert.Equal("k249", profile.Categories[0]);
        Assert.Equal("k050", profile.Categories[^1]);
    }

    [Fact]
    public void Boolean_column_lists_the_values_seen()
    {
        var onlyTrue = ProfileOf("yes", "true", "Y");
        var both = ProfileOf("false", "true", "no", null);

        Assert.Equal(ColumnType.Boolean, onlyTrue.Type);
        Assert.Equal(["true"], onlyTrue.Categories!);
        Assert.Equal(1, onlyTrue.DistinctCount);
        Assert.Equal(["false", "true"], both.Categories!);
        Assert.Equal(2, both.DistinctCount);
        Assert.Equal(0.25, both.NullRate);
    }

    [Fact]
    public void Timestamp_column_gives_min_and_max_as_iso_text_in_utc()
    {
        var profile = ProfileOf("2024-03-01T10:00:00+02:00", "2024-01-15", null, "2024-02-01T00:00:00Z", "2024-01-15");

        Assert.Equal(ColumnType.Timestamp, profile.Type);
        Assert.Equal("2024-01-15T00:00:00.0000000+00:00", profile.MinText);
        Assert.Equal("2024-03-01T08:00:00.0000000+00:00", profile.MaxText);
        Assert.Equal(3, profile.DistinctCount);
        Assert.Null(profile.Min);
        Assert.Null(profile.Mean);
    }

    [Fact]
    public void String_column_counts_distinct_values_exactly()
    {
        var values = Enumerable.Range(0, 300).Select(i => $"note {i % 120}").ToArray();

        var profile = ProfileOf(values);

        Assert.Equal(ColumnType.String, profile.Type);
        Assert.Equal(120, profile.DistinctCount);
        Assert.False(profile.DistinctApproximate);
    }

    [Fact]
    public void Column_of_only_nulls_has_null_rate_one_and_no_statistics()
    {
        var profile = ProfileOf(null, "", "NA");

        Assert.Equal(1, profile.NullRate);
        Assert.True(profile.Nullable);
        Assert.Equal(0, profile.DistinctCount);
        Assert.Null(profile.Min);
        Assert.Null(profile.Quantiles);
        Assert.Null(profile.Categories);
    }

    [Fact]
    public void Empty_batch_profiles_every_column_with_zero_rows()
    {
        var snapshot = SchemaProfiler.Profile(TypedTable.FromRows(["a", "b"], []));

        Assert.Equal(0, snapshot.RowCount);
        Assert.Equal(["a", "b"], snapshot.Columns.Select(c => c.Name));
        Assert.All(snapshot.Columns, c => Assert.Equal(0, c.NullRate));
        Assert.Equal(SchemaSource.Profiled, snapshot.Source);
    }

    [Fact]
    public void Distinct_count_stays_exact_up_to_the_cap()
    {
        var values = Enumerable.Range(0, 2 * ColumnProfile.ExactDistinctCap).Select(i => (long)(i % ColumnProfile.ExactDistinctCap)).ToArray();

        var profile = SchemaProfiler.ProfileColumn(Column.Integers("id", values, new bool[values.Length]));

        Assert.Equal(ColumnProfile.ExactDistinctCap, profile.DistinctCount);
        Assert.False(profile.DistinctApproximate);
    }

    [Fact]
    public void Distinct_count_beyond_the_cap_is_an_estimate_within_two_percent()
    {
        const int distinct = 400_000;
        var ids = Enumerable.Range(0, distinct).Select(i => (long)i * 7919).ToArray();
        var amounts = Enumerable.Range(0, distinct).Select(i => i * 0.01).ToArray();
        var texts = Enumerable.Range(0, distinct).Select(i => $"customer-{i}").ToArray();
        var nulls = new bool[distinct];

        var snapshot = SchemaProfiler.Profile(new TypedTable(
            [Column.Integers("id", ids, nulls), Column.Decimals("amount", amounts, nulls), Column.Strings("name", texts, nulls)], distinct));

        Assert.All(snapshot.Columns, c =>
        {
            Assert.True(c.DistinctApproximate, c.Name);
            Assert.InRange(c.DistinctCount, distinct * 0.98, distinct * 1.02);
        });
    }

    [Fact]
    public void Quantiles_of_a_large_column_come_from_an_even_sample_close_to_the_exact_ones()
    {
        const int n = 1_000_000;
        var values = Enumerable.Range(0, n).Select(i => (double)i).ToArray();

        var profile = SchemaProfiler.ProfileColumn(Column.Decimals("x", values, new bool[n]));

        Assert.Equal(n - 1, profile.Max);
        Assert.Equal((n - 1) / 2.0, profile.Mean);
        var exact = ColumnProfile.QuantileLevels.Select(p => p * (n - 1)).ToArray();
        for (var i = 0; i < exact.Length; i++) Assert.InRange(profile.Quantiles![i], exact[i] - 20, exact[i] + 20);
    }

    [Fact]
    public void Null_rows_do_not_count_towards_numeric_statistics()
    {
        // Null slots hold arbitrary values here; only the mask says they are null.
        var column = Column.Integers("x", [100, 2, -50, 4], [true, false, true, false]);

        var profile = SchemaProfiler.ProfileColumn(column);

        Assert.Equal(2, profile.Min);
        Assert.Equal(4, profile.Max);
        Assert.Equal(3, profile.Mean);
        Assert.Equal(1, profile.StdDev);
        Assert.Equal(2, profile.DistinctCount);
    }
}
