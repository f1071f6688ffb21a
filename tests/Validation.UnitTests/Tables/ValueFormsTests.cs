using System.Globalization;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.UnitTests.Tables;

/// <summary>The fast parsers take only what the general parsers take, give the same value, and write the text back.</summary>
public sealed class ValueFormsTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("-42")]
    [InlineData("007")]
    [InlineData("-007")]
    [InlineData("00")]
    [InlineData("999999999999999999")]
    [InlineData("-100000000000000000")]
    public void Integers_parse_to_the_general_value_and_write_back_unchanged(string text)
    {
        Assert.True(ValueForms.TryParseInteger(text, out var value, out var form));

        Assert.Equal(long.Parse(text, NumberStyles.AllowLeadingSign, Invariant), value);
        Assert.Equal(text, ValueForms.FormatInteger(value, form));
    }

    [Theory]
    [InlineData("-0")]
    [InlineData("+5")]
    [InlineData("1234567890123456789")]
    [InlineData("1.0")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(" 1")]
    public void Integers_the_fast_parser_cannot_write_back_are_left_to_the_general_parser(string text)
    {
        Assert.False(ValueForms.TryParseInteger(text, out _, out _));
    }

    [Fact]
    public void Random_decimals_parse_exactly_as_double_parse_and_write_back_unchanged()
    {
        var random = new Random(99);
        for (var i = 0; i < 50_000; i++)
        {
            var decimals = random.Next(0, 8);
            var integerDigits = random.Next(1, 16 - decimals);
            var mantissa = random.NextInt64(0, (long)Math.Pow(10, integerDigits + decimals));
            var text = (mantissa / Math.Pow(10, decimals)).ToString("F" + decimals, Invariant);
            if (random.Next(2) == 0 && mantissa != 0) text = "-" + text;
            if (text.TrimStart('-').Replace(".", "").Length > 15) continue;

            Assert.True(ValueForms.TryParseDecimal(text, out var value, out var form), text);
            Assert.Equal(double.Parse(text, Invariant), value);
            Assert.Equal(text, ValueForms.FormatDecimal(value, form));
        }
    }

    [Theory]
    [InlineData("0.1")]
    [InlineData("12.50")]
    [InlineData("100")]
    [InlineData("0.000000000000001")]
    [InlineData("0.0000000000000000123")]
    [InlineData("999999999999999")]
    [InlineData("-123456.789")]
    public void Decimals_parse_to_the_general_value_and_write_back_unchanged(string text)
    {
        Assert.True(ValueForms.TryParseDecimal(text, out var value, out var form));

        Assert.Equal(double.Parse(text, Invariant), value);
        Assert.Equal(text, ValueForms.FormatDecimal(value, form));
    }

    [Theory]
    [InlineData("-0.0")]
    [InlineData("1e5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("01.5")]
    [InlineData("+1.5")]
    [InlineData("1234567890.1234567")]
    [InlineData("0.00000000000000000001")]
    [InlineData("1.2.3")]
    public void Decimals_the_fast_parser_cannot_write_back_are_left_to_the_general_parser(string text)
    {
        Assert.False(ValueForms.TryParseDecimal(text, out _, out _));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("Yes", true)]
    [InlineData("n", false)]
    [InlineData("T", true)]
    [InlineData("No", false)]
    public void Booleans_parse_to_the_general_value_and_write_back_unchanged(string text, bool expected)
    {
        Assert.True(ValueForms.TryParseBoolean(text, out var value, out var form));

        Assert.Equal(expected, value);
        Assert.Equal(text, ValueForms.FormatBoolean(form));
    }

    [Theory]
    [InlineData("tRuE")]
    [InlineData("yess")]
    [InlineData("1")]
    [InlineData("")]
    public void Booleans_in_mixed_case_or_unknown_are_left_to_the_general_parser(string text)
    {
        Assert.False(ValueForms.TryParseBoolean(text, out _, out _));
    }

    [Fact]
    public void Timestamps_in_every_fast_form_parse_as_date_time_offset_does_and_write_back_unchanged()
    {
        var random = new Random(7);
        string[] separators = ["T", " "];
        string[] zones = ["", "Z", "+00:00"];
        for (var i = 0; i < 20_000; i++)
        {
            var instant = new DateTime(random.NextInt64(new DateTime(1, 1, 1).Ticks, new DateTime(9999, 12, 31).Ticks), DateTimeKind.Utc);
            var text = instant.ToString("yyyy'-'MM'-'dd", Invariant);
            if (random.Next(5) > 0)
            {
                text += separators[random.Next(2)] + instant.ToString("HH':'mm", Invariant);
                if (random.Next(4) > 0)
                {
                    text += instant.ToString("':'ss", Invariant);
                    var digits = random.Next(0, 8);
                    if (digits > 0) text += "." + instant.ToString(digits == 1 ? "%f" : new string('f', digits), Invariant);
                }
                text += zones[random.Next(3)];
            }

            Assert.True(ValueForms.TryParseTimestamp(text, out var ticks, out var form), text);
            Assert.True(DateTimeOffset.TryParse(text, Invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expected), text);
            Assert.Equal(expected.UtcTicks, ticks);
            Assert.Equal(text, ValueForms.FormatTimestamp(ticks, form));
        }
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("0000-01-01")]
    [InlineData("2024-01-15T24:00")]
    [InlineData("2024-01-15T10:60")]
    [InlineData("2024-01-15T10:23:60")]
    [InlineData("2024-01-15T10:23:45.12345678")]
    [InlineData("2024-01-15T10:23:45+02:00")]
    [InlineData("2024-01-15t10:23:45")]
    [InlineData("2024-01-15T10:23:45z")]
    [InlineData("2024-1-15")]
    [InlineData("2024-01-15Z")]
    public void Timestamps_out_of_range_or_in_other_forms_are_left_to_the_general_parser(string text)
    {
        Assert.False(ValueForms.TryParseTimestamp(text, out _, out _));
    }

    [Fact]
    public void Leap_days_are_dates_in_leap_years()
    {
        Assert.True(ValueForms.TryParseTimestamp("2024-02-29", out var ticks, out _));
        Assert.Equal(new DateTime(2024, 2, 29).Ticks, ticks);
    }
}
