using Vigil.Tabular.Tables;
using static Vigil.Validation.UnitTests.Tables.TableTestData;

namespace Vigil.Validation.UnitTests.Tables;

public sealed class ColumnBuilderTests
{
    // One type per column

    [Fact]
    public void Whole_numbers_make_an_integer_column()
    {
        var column = Build("1", "-42", "9223372036854775807", "007");

        Assert.Equal(ColumnType.Integer, column.Type);
        Assert.Equal([1L, -42L, long.MaxValue, 7L], column.Int64Values.ToArray());
    }

    [Fact]
    public void Numbers_with_decimals_make_a_decimal_column()
    {
        var column = Build("1.5", "-0.25", "1e3", "12.50");

        Assert.Equal(ColumnType.Decimal, column.Type);
        Assert.Equal([1.5, -0.25, 1000.0, 12.5], column.DoubleValues.ToArray());
    }

    [Fact]
    public void Integers_with_one_decimal_among_them_make_a_decimal_column()
    {
        var column = Build("1", "2", "3", "2.5", "4");

        Assert.Equal(ColumnType.Decimal, column.Type);
        Assert.Equal([1.0, 2.0, 3.0, 2.5, 4.0], column.DoubleValues.ToArray());
    }

    [Fact]
    public void An_integer_column_turns_decimal_on_its_last_row_with_every_value_kept()
    {
        var texts = Enumerable.Range(0, 20_000).Select(i => (i - 5000).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("0.5").ToArray();

        var column = Build(texts);

        Assert.Equal(ColumnType.Decimal, column.Type);
        Assert.Equal(-5000.0, column.GetDouble(0));
        Assert.Equal(14999.0, column.GetDouble(19_999));
        Assert.Equal(0.5, column.GetDouble(20_000));
    }

    [Theory]
    [InlineData("true", "false", "yes", "no")]
    [InlineData("TRUE", "False", "Y", "n")]
    [InlineData("t", "f", "T", "F")]
    public void Boolean_texts_in_any_case_make_a_boolean_column(string a, string b, string c, string d)
    {
        var column = Build(a, b, c, d);

        Assert.Equal(ColumnType.Boolean, column.Type);
        Assert.Equal([true, false, true, false], Enumerable.Range(0, 4).Select(column.GetBoolean));
    }

    [Fact]
    public void Iso_dates_and_date_times_make_a_timestamp_column_in_utc()
    {
        var column = Build("2024-01-15", "2024-01-15T10:23:45Z", "2024-01-15 10:23:45.5", "2024-01-15T12:23:45+02:00");

        Assert.Equal(ColumnType.Timestamp, column.Type);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero), column.GetTimestamp(0));
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 23, 45, TimeSpan.Zero), column.GetTimestamp(1));
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 23, 45, 500, TimeSpan.Zero), column.GetTimestamp(2));
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 23, 45, TimeSpan.Zero), column.GetTimestamp(3));
    }

    [Fact]
    public void A_bare_number_is_not_a_timestamp()
    {
        Assert.Equal(ColumnType.Integer, Build("20240115", "20240116").Type);
    }

    [Fact]
    public void Few_distinct_texts_repeated_make_a_categorical_column()
    {
        var column = Build("EUR", "USD", "EUR", "EUR", "USD", "GBP");

        Assert.Equal(ColumnType.Categorical, column.Type);
        Assert.Equal(["EUR", "USD", "GBP"], column.Categories);
        Assert.Equal([0, 1, 0, 0, 1, 2], Enumerable.Range(0, 6).Select(column.GetCategoryCode));
        Assert.Equal("GBP", column.GetString(5));
    }

    [Fact]
    public void Mostly_distinct_texts_make_a_string_column()
    {
        var column = Build("alice", "bob", "carol", "bob");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(["alice", "bob", "carol", "bob"], Enumerable.Range(0, 4).Select(column.GetString));
    }

    [Fact]
    public void More_distinct_texts_than_the_categorical_limit_make_a_string_column_even_when_they_repeat()
    {
        var texts = Enumerable.Range(0, 10_000).Select(i => $"account-{i % 1000}").ToArray();

        var column = Build(texts);

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal("account-999", column.GetString(9_999));
        Assert.Equal("account-5", column.GetStringSpan(1005).ToString());
    }

    [Fact]
    public void The_categorical_limits_come_from_the_options()
    {
        var options = new TableReadOptions { CategoricalMaxDistinct = 2 };

        Assert.Equal(ColumnType.String, BuildWith(options, "a", "b", "c", "a", "b", "c", "a", "b").Type);
        Assert.Equal(ColumnType.Categorical, BuildWith(options, "a", "b", "a", "b", "a", "b").Type);
    }

    [Fact]
    public void Unique_texts_past_the_dictionary_limit_are_all_kept()
    {
        var texts = Enumerable.Range(0, ColumnBuilder.DictionaryLimit * 3).Select(i => $"tx-{i:D8}").ToArray();

        var column = Build(texts);

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(texts, Enumerable.Range(0, texts.Length).Select(column.GetString));
    }

    // Nulls

    [Fact]
    public void Empty_texts_null_and_the_default_null_tokens_are_null_in_any_case()
    {
        var column = Build("1", "", null, "null", "NULL", "NA", "n/a", "NaN", "2");

        Assert.Equal(ColumnType.Integer, column.Type);
        Assert.Equal(7, column.NullCount);
        Assert.Equal([false, true, true, true, true, true, true, true, false], column.NullMask.ToArray());
        Assert.Equal(2, column.GetInt64(8));
    }

    [Fact]
    public void Null_tokens_come_from_the_options()
    {
        var options = new TableReadOptions { NullTokens = ["-", "missing"] };

        var column = BuildWith(options, "1", "-", "MISSING", "NA");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(["1", null, null, "NA"], Texts(column));
        Assert.Equal(2, column.NullCount);
    }

    [Theory]
    [InlineData("nil")]
    [InlineData("NIL")]
    [InlineData("n\u0131l")]   // dotless i: ignoring case, it matches I
    [InlineData("\u017Fkip")]  // long s: ignoring case, it matches S
    [InlineData("SKIP")]
    [InlineData("\u00F1il")]
    [InlineData("nile")]
    [InlineData("-")]
    [InlineData("\u2013")]
    public void A_text_is_null_exactly_when_is_null_text_says_so(string text)
    {
        var options = new TableReadOptions { NullTokens = ["nil", "skip", "-", "\u00E9t\u00E9"] };

        var column = BuildWith(options, "x", text);

        Assert.Equal(ColumnInference.IsNullText(text, options), column.IsNull(1));
    }

    [Fact]
    public void A_column_of_only_nulls_is_a_string_column_of_nulls()
    {
        var column = Build(null, "", "null");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(3, column.NullCount);
        Assert.Equal("", column.GetString(1));
    }

    [Fact]
    public void Nulls_before_the_first_value_do_not_decide_the_type()
    {
        var column = Build(null, null, "1.5", null, "2");

        Assert.Equal(ColumnType.Decimal, column.Type);
        Assert.Equal([true, true, false, true, false], column.NullMask.ToArray());
        Assert.Equal(2.0, column.GetDouble(4));
    }

    [Fact]
    public void Null_rows_of_a_categorical_column_read_as_empty_text()
    {
        var column = Build("a", null, "a", "b", "a", "b");

        Assert.Equal(ColumnType.Categorical, column.Type);
        Assert.Equal("", column.GetString(1));
        Assert.Equal("", column.GetText(1));
        Assert.True(column.GetStringSpan(1).IsEmpty);
    }

    // A value that does not fit turns the column to text, every text as written

    [Fact]
    public void Integers_followed_by_a_word_keep_their_texts_exactly_as_written()
    {
        var column = Build("007", "42", "-3", "+5", "-0", "00", "n/a", "x12");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(["007", "42", "-3", "+5", "-0", "00", null, "x12"], Texts(column));
    }

    [Fact]
    public void Decimals_followed_by_a_word_keep_their_texts_exactly_as_written()
    {
        var column = Build("12.50", "0.1", "-0.0", "1e5", ".5", "100", "3.14159265358979323", "abc");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(["12.50", "0.1", "-0.0", "1e5", ".5", "100", "3.14159265358979323", "abc"], Texts(column));
    }

    [Fact]
    public void Booleans_followed_by_a_word_keep_their_texts_exactly_as_written()
    {
        var column = Build("TRUE", "false", "Yes", "n", "tRuE", "maybe");

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(["TRUE", "false", "Yes", "n", "tRuE", "maybe"], Texts(column));
    }

    [Fact]
    public void Timestamps_followed_by_a_word_keep_their_texts_exactly_as_written()
    {
        string[] texts =
        [
            "2024-01-15", "2024-01-15T10:23", "2024-01-15 10:23:45", "2024-01-15T10:23:45.120Z", "2024-01-15T10:23:45+00:00",
            "2024-01-15T12:23:45+02:00", "2024-01-15t10:23:45z", "soon",
        ];

        var column = Build(texts);

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(texts, Texts(column));
    }

    [Fact]
    public void A_long_typed_column_turned_to_text_at_the_end_keeps_every_text()
    {
        var texts = Enumerable.Range(0, 30_000).Select(i => (i * 0.25).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)).Append("oops").ToArray();

        var column = Build(texts);

        Assert.Equal(ColumnType.String, column.Type);
        Assert.Equal(texts, Enumerable.Range(0, texts.Length).Select(column.GetString));
    }

    [Fact]
    public void A_few_repeated_numbers_and_one_word_make_a_categorical_column_of_the_texts()
    {
        var column = Build("1", "2", "1", "2", "1", "2", "1", "other");

        Assert.Equal(ColumnType.Categorical, column.Type);
        Assert.Equal(["1", "2", "other"], column.Categories);
    }

    // The builder agrees with ColumnInference.Infer and keeps values

    [Fact]
    public void Builder_infers_the_same_type_as_infer_and_keeps_each_value_for_random_columns()
    {
        string[][] pools =
        [
            ["0", "1", "-5", "007", "+3", "123456789012345678", "9223372036854775807", "-9223372036854775808", "00"],
            ["1.5", "-0.0", "1e5", ".5", "12.50", "0.1", "1E-3", "99999999999999999999", "123456.789012345", "5."],
            ["true", "FALSE", "Yes", "n", "tRuE", "T", "f"],
            ["2024-01-15", "2024-01-15T10:23:45Z", "2024-02-29 23:59:59.9999999", "2024-01-15T10:23:45+02:00", "1999-12-31T23:59"],
            ["abc", "x", "EUR", "2024-13-01", "1,5", " 1"],
            ["", "null", "NA"],
        ];
        var random = new Random(1234);
        for (var trial = 0; trial < 2000; trial++)
        {
            var chosen = pools.Where(_ => random.Next(3) == 0).DefaultIfEmpty(pools[random.Next(pools.Length)]).ToArray();
            var length = random.Next(1, 60);
            var texts = Enumerable.Range(0, length).Select(_ => { var pool = chosen[random.Next(chosen.Length)]; return pool[random.Next(pool.Length)]; }).ToArray();

            var column = Build(texts);

            var nonNull = texts.Where(t => !ColumnInference.IsNullText(t, TableReadOptions.Default)).ToList();
            Assert.Equal(ColumnInference.Infer(nonNull, TableReadOptions.Default), column.Type);
            for (var row = 0; row < texts.Length; row++)
            {
                var text = texts[row];
                if (ColumnInference.IsNullText(text, TableReadOptions.Default))
                {
                    Assert.True(column.IsNull(row));
                    continue;
                }
                switch (column.Type)
                {
                    case ColumnType.Integer:
                        Assert.True(ColumnInference.TryParseInteger(text, out var integer));
                        Assert.Equal(integer, column.GetInt64(row));
                        break;
                    case ColumnType.Decimal:
                        Assert.True(ColumnInference.TryParseDecimal(text, out var number));
                        Assert.Equal(number, column.GetDouble(row));
                        break;
                    case ColumnType.Boolean:
                        Assert.True(ColumnInference.TryParseBoolean(text, out var boolean));
                        Assert.Equal(boolean, column.GetBoolean(row));
                        break;
                    case ColumnType.Timestamp:
                        Assert.True(ColumnInference.TryParseTimestamp(text, out var timestamp));
                        Assert.Equal(timestamp, column.GetTimestamp(row));
                        break;
                    default:
                        Assert.Equal(text, column.GetString(row));
                        break;
                }
            }
        }
    }

    // Building

    [Fact]
    public void Build_can_be_called_again_after_more_values()
    {
        var builder = new ColumnBuilder("c", TableReadOptions.Default);
        builder.Add("1");
        var first = builder.Build();
        builder.Add("x");
        var second = builder.Build();

        Assert.Equal(ColumnType.Integer, first.Type);
        Assert.Equal(1, first.Length);
        Assert.Equal(ColumnType.String, second.Type);
        Assert.Equal(["1", "x"], Texts(second));
    }

    [Fact]
    public void Count_and_current_type_follow_the_values_added()
    {
        var builder = new ColumnBuilder("c", TableReadOptions.Default);
        builder.Add("");
        Assert.Equal(ColumnType.String, builder.CurrentType);
        builder.Add("1");
        Assert.Equal(ColumnType.Integer, builder.CurrentType);
        builder.Add("1.5".AsSpan());
        Assert.Equal(ColumnType.Decimal, builder.CurrentType);
        builder.AddNull();

        Assert.Equal(4, builder.Count);
    }

    [Fact]
    public void A_builder_that_built_once_for_a_reader_refuses_more_values()
    {
        var builder = new ColumnBuilder("c", TableReadOptions.Default);
        builder.Add("1");
        builder.BuildOnce();

        var error = Assert.Throws<InvalidOperationException>(() => builder.Add("2"));
        Assert.Contains("'c'", error.Message);
    }
}
