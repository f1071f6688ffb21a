using Vigil.Tabular.Tables;
using Vigil.Validation.Cleaning;

namespace Vigil.Validation.UnitTests.Cleaning;

public sealed class DatasetCleanerTests
{
    private static TypedTable Table(string[] names, params string?[][] rows) => TypedTable.FromRows(names, rows);

    private static void AssertTexts(Column column, params string?[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, column.Length).Select(r => column.IsNull(r) ? null : column.GetText(r)));

    private static CleaningOptions Only(bool duplicates = false, bool impute = false, bool outliers = false) =>
        new() { RemoveDuplicates = duplicates, ImputeNulls = impute, FlagOutliers = outliers };

    [Fact]
    public void Exact_duplicate_rows_are_removed_keeping_the_first_in_order()
    {
        var table = Table(["id", "name", "amount"],
            ["1", "ann", "10.5"],
            ["2", "bob", null],
            ["1", "ann", "10.5"],
            ["3", "ann", "10.5"],
            ["2", "bob", null],
            ["2", "bob", "0"],
            ["1", "ann", "10.5"]);

        var result = DatasetCleaner.Clean(table, Only(duplicates: true));

        Assert.Equal(3, result.DuplicatesRemoved);
        Assert.Equal(4, result.Cleaned.RowCount);
        AssertTexts(result.Cleaned["id"], "1", "2", "3", "2");
        AssertTexts(result.Cleaned["amount"], "10.5", null, "10.5", "0");
    }

    [Fact]
    public void Rows_differing_only_in_a_null_are_not_duplicates()
    {
        var table = Table(["a", "b"], ["x", null], ["x", ""], ["x", "z"], ["x", "NA"]);

        var result = DatasetCleaner.Clean(table, Only(duplicates: true));

        Assert.Equal(2, result.DuplicatesRemoved);
        AssertTexts(result.Cleaned["b"], null, "z");
    }

    [Fact]
    public void Duplicates_are_found_among_many_rows_of_every_type()
    {
        var categories = new[] { "red", "green", "blue" };
        const int n = 200_000;
        var ints = new long[n];
        var doubles = new double[n];
        var booleans = new bool[n];
        var ticks = new long[n];
        var strings = new string?[n];
        var codes = new int[n];
        var nulls = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var k = i % 50_000; // every distinct row occurs four times
            ints[i] = k;
            doubles[i] = k * 0.5;
            booleans[i] = k % 2 == 0;
            ticks[i] = DateTime.UnixEpoch.Ticks + k * TimeSpan.TicksPerMinute;
            strings[i] = $"s{k % 1000}";
            codes[i] = k % 3;
        }
        var table = new TypedTable(
        [
            Column.Integers("i", ints, nulls), Column.Decimals("d", doubles, nulls), Column.Booleans("b", booleans, nulls),
            Column.Timestamps("t", ticks, nulls), Column.Strings("s", strings, nulls), Column.Categoricals("c", codes, categories, nulls),
        ], n);

        var result = DatasetCleaner.Clean(table, Only(duplicates: true));

        Assert.Equal(150_000, result.DuplicatesRemoved);
        Assert.Equal(Enumerable.Range(0, 50_000).Select(k => (long)k), result.Cleaned["i"].Int64Values.ToArray());
    }

    [Fact]
    public void Duplicate_removal_can_be_turned_off()
    {
        var table = Table(["a"], ["1"], ["1"]);

        var result = DatasetCleaner.Clean(table, Only());

        Assert.Equal(0, result.DuplicatesRemoved);
        Assert.Equal(2, result.Cleaned.RowCount);
    }

    [Fact]
    public void Integer_nulls_take_the_median_rounded_half_away_from_zero()
    {
        var table = Table(["n"], ["1"], [null], ["10"], ["2"], ["3"], [null]);

        var result = DatasetCleaner.Clean(table, Only(impute: true));

        // Median of 1, 2, 3, 10 is 2.5.
        AssertTexts(result.Cleaned["n"], "1", "3", "10", "2", "3", "3");
        Assert.Equal(0, result.Cleaned["n"].NullCount);
        Assert.Equal(2, result.ImputedByColumn["n"]);
    }

    [Fact]
    public void Decimal_nulls_take_the_median()
    {
        var table = Table(["x"], ["4.5"], [null], ["1.5"], ["100"], ["2.5"]);

        var result = DatasetCleaner.Clean(table, Only(impute: true));

        Assert.Equal(ColumnType.Decimal, result.Cleaned["x"].Type);
        Assert.Equal(3.5, result.Cleaned["x"].GetDouble(1));
        Assert.Equal(1, result.ImputedByColumn["x"]);
    }

    [Fact]
    public void Timestamp_nulls_take_the_median_instant()
    {
        var table = Table(["at"], ["2024-01-01T00:00:00Z"], [null], ["2024-01-03T00:00:00Z"], ["2024-01-10T00:00:00Z"], ["2024-01-02T00:00:00Z"]);

        var result = DatasetCleaner.Clean(table, Only(impute: true));

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 12, 0, 0, TimeSpan.Zero), result.Cleaned["at"].GetTimestamp(1));
    }

    [Fact]
    public void Categorical_string_and_boolean_nulls_take_the_mode_with_ties_to_the_first_seen()
    {
        var table = Table(["cat", "text", "flag"],
            ["b", "x1", "false"],
            [null, null, null],
            ["a", "x2", "true"],
            ["a", "x2", "true"],
            ["b", "x1", "false"],
            ["b", "x3", null],
            ["c", null, "true"],
            ["a", "x9", "false"],
            ["a", "x8", "true"]);

        var result = DatasetCleaner.Clean(table, Only(impute: true));

        Assert.Equal(ColumnType.Categorical, result.Cleaned["cat"].Type);
        Assert.Equal("a", result.Cleaned["cat"].GetString(1));
        // x1 and x2 both occur twice; x1 comes first.
        AssertTexts(result.Cleaned["text"], "x1", "x1", "x2", "x2", "x1", "x3", "x1", "x9", "x8");
        Assert.Equal([false, true, true, true, false, true, true, false, true],
            Enumerable.Range(0, 9).Select(r => result.Cleaned["flag"].GetBoolean(r)));
        Assert.Equal(new Dictionary<string, long> { ["cat"] = 1, ["text"] = 2, ["flag"] = 2 }, result.ImputedByColumn);
    }

    [Fact]
    public void Column_of_only_nulls_stays_null()
    {
        var table = Table(["id", "empty"], ["1", null], ["2", null]);

        var result = DatasetCleaner.Clean(table, CleaningOptions.Default);

        Assert.Equal(2, result.Cleaned["empty"].NullCount);
        Assert.False(result.ImputedByColumn.ContainsKey("empty"));
    }

    [Fact]
    public void Iqr_outliers_are_flagged_in_a_boolean_column_after_their_column_and_kept()
    {
        // Sorted: -20, 1..9, 100. Q1 = 2.5, Q3 = 7.5, IQR = 5: fences -5 and 15.
        var table = Table(["id", "x", "note"],
            [.. new[] { "5", "1", "100", "2", "3", "-20", "4", "6", "7", "8", "9" }.Select((x, i) => new[] { $"{i}", x, "n" })]);

        var result = DatasetCleaner.Clean(table, Only(outliers: true));

        Assert.Equal(["id", "id_outlier", "x", "x_outlier", "note"], result.Cleaned.Columns.Select(c => c.Name));
        var flags = result.Cleaned["x_outlier"];
        Assert.Equal(ColumnType.Boolean, flags.Type);
        Assert.Equal(0, flags.NullCount);
        Assert.Equal([false, false, true, false, false, true, false, false, false, false, false], Enumerable.Range(0, 11).Select(flags.GetBoolean));
        Assert.Equal(11, result.Cleaned.RowCount);
        Assert.Equal(2, result.OutliersByColumn["x"]);
        Assert.Equal(0, result.OutliersByColumn["id"]);
    }

    [Fact]
    public void Values_on_the_iqr_fences_are_not_outliers()
    {
        // Q1 = 2, Q3 = 4, IQR = 2: fences -1 and 7.
        var table = Table(["x"], ["2"], ["2"], ["3"], ["4"], ["4"], ["7"], ["-1"], ["7.01"], ["3"]);

        var result = DatasetCleaner.Clean(table, Only(outliers: true));

        Assert.Equal([false, false, false, false, false, false, false, true, false],
            Enumerable.Range(0, 9).Select(result.Cleaned["x_outlier"].GetBoolean));
    }

    [Fact]
    public void Imputed_values_are_not_flagged_and_quartiles_ignore_them()
    {
        var table = Table(["x"], ["1"], ["2"], [null], ["3"], ["4"], [null], ["50"]);

        var result = DatasetCleaner.Clean(table, Only(impute: true, outliers: true));

        AssertTexts(result.Cleaned["x"], "1", "2", "3", "3", "4", "3", "50");
        Assert.Equal([false, false, false, false, false, false, true], Enumerable.Range(0, 7).Select(result.Cleaned["x_outlier"].GetBoolean));
    }

    [Fact]
    public void Cleaning_runs_duplicates_then_imputation_then_outliers()
    {
        var table = Table(["k", "v"], ["a", "1"], ["a", "1"], ["a", "1"], ["b", null], ["c", "2"], ["d", "3"], ["e", "40"]);

        var result = DatasetCleaner.Clean(table, CleaningOptions.Default);

        Assert.Equal(2, result.DuplicatesRemoved);
        // Median of the remaining 1, 2, 3, 40 is 2.5 -> 3 (the duplicated 1s would have made it 1).
        AssertTexts(result.Cleaned["v"], "1", "3", "2", "3", "40");
        Assert.Equal(1, result.OutliersByColumn["v"]);
    }

    [Fact]
    public void Excluded_columns_keep_their_nulls_and_get_no_flags()
    {
        var table = Table(["id", "x"], ["1", "5"], [null, null], ["3", "7"]);

        var result = DatasetCleaner.Clean(table, CleaningOptions.Default with { ExcludedColumns = ["id"] });

        Assert.Equal(1, result.Cleaned["id"].NullCount);
        Assert.False(result.Cleaned.HasColumn("id_outlier"));
        Assert.Equal(6, result.Cleaned["x"].GetInt64(1));
        Assert.Equal(["x"], result.ImputedByColumn.Keys);
    }

    [Fact]
    public void Cleaning_a_cleaned_table_replaces_the_earlier_flag_columns()
    {
        var table = Table(["x"], ["1"], ["2"], ["3"], ["4"], ["100"]);

        var once = DatasetCleaner.Clean(table, CleaningOptions.Default).Cleaned;
        var twice = DatasetCleaner.Clean(once, CleaningOptions.Default).Cleaned;

        Assert.Equal(["x", "x_outlier"], twice.Columns.Select(c => c.Name));
        Assert.True(twice["x_outlier"].GetBoolean(4));
    }

    [Fact]
    public void Flag_column_name_taken_by_another_column_type_is_rejected()
    {
        var table = Table(["x", "x_outlier"], ["1", "a"], ["2", "b"]);

        var error = Assert.Throws<ArgumentException>(() => DatasetCleaner.Clean(table, CleaningOptions.Default));

        Assert.Contains("'x_outlier'", error.Message);
    }
}
