using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;
using static Vigil.Scoring.UnitTests.Features.Tables;

namespace Vigil.Scoring.UnitTests.Features;

public class FeaturePipelineTests
{
    private static readonly FeaturePipelineOptions Defaults = new();

    private static float Feature(FeatureMatrix matrix, int row, string name) =>
        matrix[row, matrix.FeatureNames.ToList().IndexOf(name) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"No feature '{name}' in [{string.Join(", ", matrix.FeatureNames)}].")];

    [Fact]
    public void Numbers_are_scaled_by_their_median_and_interquartile_range()
    {
        var training = OneColumn("amount", "1", "2", "3", "4", "5");
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("amount", "5", "1", "3", "13"));

        Assert.Equal(["amount"], pipeline.FeatureNames);
        // Median 3, quartiles 2 and 4.
        Assert.Equal([1f, -1f, 0f, 5f], features.Values);
    }

    [Fact]
    public void A_number_column_with_no_spread_in_its_quartiles_is_scaled_by_its_standard_deviation()
    {
        var training = OneColumn("fee", "0", "0", "0", "0", "0", "0", "0", "10");
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("fee", "10"));

        // Mean 1.25, sample standard deviation sqrt(87.5 / 7).
        Assert.Equal((float)(10 / Math.Sqrt(87.5 / 7)), features[0, 0], 5);
    }

    [Fact]
    public void Missing_numbers_are_imputed_with_the_median_and_set_a_null_indicator()
    {
        var training = OneColumn("amount", "1", "2", null, "3", "4", "5");
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("amount", null, "5"));

        Assert.Equal(["amount", "amount:null"], pipeline.FeatureNames);
        Assert.Equal([0f, 1f, 1f, 0f], features.Values);
    }

    [Fact]
    public void No_null_indicator_is_added_when_null_indicators_are_off_or_the_training_column_had_no_nulls()
    {
        var withNulls = OneColumn("amount", "1", null, "3");

        Assert.Equal(["amount"], FeaturePipeline.Fit(withNulls, Defaults with { NullIndicators = false }).FeatureNames);
        Assert.Equal(["amount"], FeaturePipeline.Fit(OneColumn("amount", "1", "2", "3"), Defaults).FeatureNames);
    }

    [Fact]
    public void NaN_and_infinite_numbers_are_treated_as_missing()
    {
        var training = Of(Decimals("x", 1, 2, double.NaN, 3, 4, 5));
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(Of(Decimals("x", double.PositiveInfinity, double.NegativeInfinity, double.NaN, 5)));

        Assert.Equal(["x", "x:null"], pipeline.FeatureNames);
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f, 1f, 0f], features.Values);
        Assert.All(features.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Huge_numbers_are_clipped_so_every_feature_stays_finite()
    {
        var pipeline = FeaturePipeline.Fit(Of(Decimals("x", 0, 1, 2, 3, 4)), Defaults);

        var features = pipeline.Transform(Of(Decimals("x", 1e300, -1e300)));

        Assert.Equal([1e6f, -1e6f], features.Values);
    }

    [Fact]
    public void Booleans_become_one_and_zero_and_missing_ones_take_the_training_share_of_true()
    {
        var training = OneColumn("is_foreign", "true", "false", "false", "true", null);
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("is_foreign", "true", "false", null));

        Assert.Equal(["is_foreign", "is_foreign:null"], pipeline.FeatureNames);
        Assert.Equal([1f, 0f, 0f, 0f, 0.5f, 1f], features.Values);
    }

    [Fact]
    public void Low_cardinality_text_is_one_hot_encoded_with_the_top_k_values_and_other()
    {
        var training = OneColumn("channel", Repeat(("web", 4), ("pos", 3), ("atm", 2), ("phone", 1)));
        var pipeline = FeaturePipeline.Fit(training, Defaults with { TopK = 2 });

        var features = pipeline.Transform(OneColumn("channel", "pos", "web", "atm"));

        Assert.Equal(["channel=web", "channel=pos", "channel=(other)"], pipeline.FeatureNames);
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f, 0f, 0f, 1f], features.Values);
    }

    [Fact]
    public void Categories_unseen_in_training_go_to_other()
    {
        var training = OneColumn("channel", Repeat(("web", 4), ("pos", 3)));
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("channel", "carrier pigeon"));

        Assert.Equal(["channel=web", "channel=pos", "channel=(other)"], pipeline.FeatureNames);
        Assert.Equal([0f, 0f, 1f], features.Values);
    }

    [Fact]
    public void Missing_text_is_imputed_as_the_most_frequent_value_and_sets_the_null_indicator()
    {
        var training = OneColumn("channel", [.. Repeat(("web", 4), ("pos", 3)), null]);
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("channel", null, "pos"));

        Assert.Equal(["channel=web", "channel=pos", "channel=(other)", "channel:null"], pipeline.FeatureNames);
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 1f, 0f, 0f], features.Values);
    }

    [Fact]
    public void High_cardinality_text_is_encoded_as_its_training_frequency_and_unseen_values_as_zero()
    {
        var training = OneColumn("merchant", Repeat(("m1", 4), ("m2", 3), ("m3", 2), ("m4", 1)));
        var pipeline = FeaturePipeline.Fit(training, Defaults with { OneHotMaxCategories = 3 });

        var features = pipeline.Transform(OneColumn("merchant", "m1", "m2", "m4", "never seen"));

        Assert.Equal(["merchant:frequency"], pipeline.FeatureNames);
        Assert.Equal([0.4f, 0.3f, 0.1f, 0f], features.Values);
    }

    [Fact]
    public void Frequency_encoding_beyond_the_kept_values_uses_the_mean_frequency_of_the_values_left_out()
    {
        var training = OneColumn("merchant", Repeat(("m1", 4), ("m2", 3), ("m3", 2), ("m4", 1)));
        var pipeline = FeaturePipeline.Fit(training, Defaults with { OneHotMaxCategories = 3, FrequencyMaxValues = 2 });

        var features = pipeline.Transform(OneColumn("merchant", "m1", "m3", "m4", "never seen"));

        Assert.Equal([0.4f, 0.15f, 0.15f, 0.15f], features.Values);
        Assert.DoesNotContain("m3", pipeline.ToJson());
    }

    [Fact]
    public void Id_like_text_columns_are_skipped_unless_included_explicitly()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"TX{i:D5}").ToArray();
        var rows = ids.Select((id, i) => new string?[] { id, (i % 7).ToString() });
        var table = TypedTable.FromRows(["transaction_id", "amount"], rows);

        var automatic = FeaturePipeline.Fit(table, Defaults);
        var included = FeaturePipeline.Fit(table, Defaults with { IncludeColumns = ["transaction_id", "amount"] });

        Assert.Equal(["amount"], automatic.FeatureNames);
        var skipped = Assert.Single(automatic.SkippedColumns);
        Assert.Equal("transaction_id", skipped.Column);
        Assert.Contains("id", skipped.Reason);
        Assert.Equal(["transaction_id:frequency", "amount"], included.FeatureNames);
    }

    [Fact]
    public void Excluded_columns_are_never_features_even_when_included()
    {
        var table = TypedTable.FromRows(["id", "amount", "label"], [["1", "10", "0"], ["2", "12", "1"], ["3", "11", "0"]]);

        var pipeline = FeaturePipeline.Fit(table, Defaults with { IncludeColumns = ["amount", "label"], ExcludeColumns = ["id", "label"] });

        Assert.Equal(["amount"], pipeline.FeatureNames);
        Assert.Equal(["amount"], pipeline.InputColumns);
    }

    [Fact]
    public void Timestamps_become_sine_and_cosine_of_hour_of_day_and_day_of_week()
    {
        // 2024-03-03 was a Sunday; 2024-03-06 a Wednesday.
        var training = OneColumn("ts", "2024-03-03T00:00:00Z", "2024-03-04T12:00:00Z", "2024-03-05T18:30:00Z");
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("ts", "2024-03-03T06:00:00Z", "2024-03-06T23:59:00Z", "2024-03-07T00:00:00Z"));

        Assert.Equal(["ts:hour_sin", "ts:hour_cos", "ts:dow_sin", "ts:dow_cos"], pipeline.FeatureNames);
        Assert.Equal(1f, Feature(features, 0, "ts:hour_sin"), 6);
        Assert.Equal(0f, Feature(features, 0, "ts:hour_cos"), 6);
        Assert.Equal(0f, Feature(features, 0, "ts:dow_sin"), 6);   // Sunday
        Assert.Equal(1f, Feature(features, 0, "ts:dow_cos"), 6);
        Assert.Equal((float)Math.Sin(2 * Math.PI * 3 / 7), Feature(features, 1, "ts:dow_sin"), 6); // Wednesday
        // 23:59 sits next to midnight on the circle.
        Assert.Equal(0f, Feature(features, 1, "ts:hour_sin"), 2);
        Assert.Equal(1f, Feature(features, 2, "ts:hour_cos"), 6);
        Assert.True(Feature(features, 1, "ts:hour_sin") < 0);
    }

    [Fact]
    public void Missing_timestamps_are_the_circle_centre_with_a_null_indicator()
    {
        var training = OneColumn("ts", "2024-03-03T00:00:00Z", null, "2024-03-05T18:30:00Z");
        var pipeline = FeaturePipeline.Fit(training, Defaults);

        var features = pipeline.Transform(OneColumn("ts", null, "2024-03-03T06:00:00Z"));

        Assert.Equal(["ts:hour_sin", "ts:hour_cos", "ts:dow_sin", "ts:dow_cos", "ts:null"], pipeline.FeatureNames);
        Assert.Equal([0f, 0f, 0f, 0f, 1f], features.Row(0).ToArray());
        Assert.Equal(0f, features[1, 4]);
    }

    [Fact]
    public void Sources_map_every_feature_to_its_column_and_category()
    {
        var table = TypedTable.FromRows(["amount", "channel"], [["10", "web"], [null, "pos"], ["12", "web"], ["9", "web"]]);

        var pipeline = FeaturePipeline.Fit(table, Defaults);

        Assert.Equal(pipeline.FeatureNames, pipeline.Sources.Select(s => s.Feature));
        Assert.Equal(
            [
                new FeatureSource("amount", "amount", FeatureEncoding.Numeric, FeatureKind.Value) { Zero = -10 / 1.5 }, // median 10, IQR 1.5
                new FeatureSource("amount:null", "amount", FeatureEncoding.Numeric, FeatureKind.NullIndicator),
                new FeatureSource("channel=web", "channel", FeatureEncoding.OneHot, FeatureKind.Category, "web"),
                new FeatureSource("channel=pos", "channel", FeatureEncoding.OneHot, FeatureKind.Category, "pos"),
                new FeatureSource("channel=(other)", "channel", FeatureEncoding.OneHot, FeatureKind.OtherCategory),
            ],
            pipeline.Sources);
    }

    [Fact]
    public void A_column_missing_from_the_batch_is_named_in_the_error()
    {
        var pipeline = FeaturePipeline.Fit(TypedTable.FromRows(["amount", "fee"], [["1", "2"], ["3", "4"]]), Defaults);

        var error = Assert.Throws<FeaturePipelineException>(() => pipeline.Transform(OneColumn("fee", "2")));

        Assert.Equal("Column 'amount' is missing from the batch; the model was trained with it.", error.Message);
    }

    [Fact]
    public void A_column_of_an_incompatible_type_is_named_in_the_error_with_both_types()
    {
        var pipeline = FeaturePipeline.Fit(OneColumn("amount", "1.5", "2.5", "3.5"), Defaults);

        var error = Assert.Throws<FeaturePipelineException>(() => pipeline.Transform(OneColumn("amount", "lots", "more")));

        Assert.Equal("Column 'amount' is string in the batch, but the model was trained with it as a number (decimal).", error.Message);
    }

    [Fact]
    public void A_batch_column_with_no_values_is_encoded_as_missing_whatever_type_it_was_read_as()
    {
        var pipeline = FeaturePipeline.Fit(OneColumn("amount", "1", null, "3"), Defaults);
        var empty = OneColumn("amount", null, null);
        Assert.Equal(ColumnType.String, empty["amount"].Type);

        var features = pipeline.Transform(empty);

        Assert.Equal([0f, 1f, 0f, 1f], features.Values);
    }

    [Fact]
    public void Text_read_as_string_categorical_or_number_is_encoded_the_same()
    {
        var training = Of(Categoricals("branch", Repeat(("101", 5), ("102", 3), ("x9", 2))));
        var pipeline = FeaturePipeline.Fit(training, Defaults);
        string[] batch = ["102", "101", "777", "x9"];

        var fromStrings = pipeline.Transform(Of(Strings("branch", batch)));
        var fromCategories = pipeline.Transform(Of(Categoricals("branch", batch)));
        var fromIntegers = pipeline.Transform(OneColumn("branch", "102", "101", "777"));

        Assert.Equal(fromStrings.Values, fromCategories.Values);
        Assert.Equal(fromStrings.Values.AsSpan(0, 3 * 4).ToArray(), fromIntegers.Values);
        Assert.Equal([0f, 0f, 0f, 1f], fromStrings.Row(2).ToArray()); // 101, 102, x9, (other)
    }

    [Fact]
    public void Json_round_trip_gives_the_same_json_and_identical_transforms()
    {
        var training = Generated(3000, seed: 1);
        var pipeline = FeaturePipeline.Fit(training, Defaults with { ExcludeColumns = ["id"], TopK = 3 });

        var json = pipeline.ToJson();
        var restored = FeaturePipeline.FromJson(json);
        var batch = Generated(5000, seed: 2);

        Assert.Equal(json, restored.ToJson());
        Assert.Equal(pipeline.FeatureNames, restored.FeatureNames);
        Assert.Equal(pipeline.Sources, restored.Sources);
        Assert.Equal(pipeline.Transform(batch).Values, restored.Transform(batch).Values);
    }

    [Fact]
    public void Transforming_in_parallel_chunks_gives_each_row_what_it_gets_alone()
    {
        var table = Generated(20_000, seed: 3);
        var pipeline = FeaturePipeline.Fit(table, Defaults with { ExcludeColumns = ["id"] });

        var all = pipeline.Transform(table);
        var last = table.RowCount - 1;
        var single = pipeline.Transform(Slice(table, last));

        Assert.Equal(all.Row(last).ToArray(), single.Row(0).ToArray());
        Assert.All(all.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void An_empty_batch_gives_an_empty_matrix_with_the_fitted_features()
    {
        var pipeline = FeaturePipeline.Fit(OneColumn("amount", "1", null, "3"), Defaults);

        var features = pipeline.Transform(Of(Column.Decimals("amount", [], [])));

        Assert.Equal(0, features.Rows);
        Assert.Equal(["amount", "amount:null"], features.FeatureNames);
    }

    [Fact]
    public void Damaged_json_is_rejected_with_what_is_wrong()
    {
        var json = FeaturePipeline.Fit(OneColumn("amount", "1", "2", "3"), Defaults).ToJson();

        var wrongVersion = Assert.Throws<InvalidDataException>(() => FeaturePipeline.FromJson(json.Replace("\"version\":1", "\"version\":99")));
        var noScale = Assert.Throws<InvalidDataException>(() => FeaturePipeline.FromJson(json.Replace("\"scale\":", "\"scales\":")));

        Assert.Contains("version 99", wrongVersion.Message);
        Assert.Contains("amount", noScale.Message);
    }

    [Fact]
    public void Fitting_a_table_with_no_usable_column_says_why()
    {
        var table = TypedTable.FromRows(["id", "empty"], [["1", null], ["2", null]]);

        var error = Assert.Throws<FeaturePipelineException>(() => FeaturePipeline.Fit(table, Defaults with { ExcludeColumns = ["id"] }));

        Assert.Contains("'empty': it has no values", error.Message);
    }

    /// <summary>A transactions-like table: id, amount (some nulls), channel, merchant (many values), foreign flag, time.</summary>
    internal static TypedTable Generated(int rows, int seed)
    {
        var random = new Random(seed);
        string[] channels = ["web", "pos", "atm", "phone", "branch"];
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var id = new string?[rows];
        var amount = new double[rows];
        var amountNull = new bool[rows];
        var channel = new string?[rows];
        var merchant = new string?[rows];
        var foreign = new bool[rows];
        var ticks = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            id[i] = $"T{seed}-{i}";
            amount[i] = Math.Round(Math.Exp(3 + random.NextDouble() * 2), 2);
            amountNull[i] = random.NextDouble() < 0.02;
            channel[i] = channels[Math.Min(channels.Length - 1, (int)(-Math.Log(random.NextDouble() + 1e-9)))];
            merchant[i] = $"M{(int)(200 * random.NextDouble() * random.NextDouble())}";
            foreign[i] = random.NextDouble() < 0.1;
            ticks[i] = start.AddMinutes(random.Next(0, 60 * 24 * 60)).Ticks;
        }
        return new TypedTable(
            [
                Column.Strings("id", id, new bool[rows]),
                Column.Decimals("amount", amount, amountNull),
                Column.Strings("channel", channel, new bool[rows]),
                Column.Strings("merchant", merchant, new bool[rows]),
                Column.Booleans("is_foreign", foreign, new bool[rows]),
                Column.Timestamps("ts", ticks, new bool[rows]),
            ],
            rows);
    }

    private static TypedTable Slice(TypedTable table, int row) =>
        TypedTable.FromRows([.. table.Columns.Select(c => c.Name)], [[.. table.Columns.Select(c => c.IsNull(row) ? null : c.GetText(row))]]);
}
