using System.Globalization;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Decides a column's type from its non-null texts: the narrowest of integer, decimal, boolean, timestamp that
/// every value parses as; otherwise categorical when values repeat a lot, else string.
/// </summary>
public static class ColumnInference
{
    private static readonly string[] TrueTexts = ["true", "yes", "y", "t"];
    private static readonly string[] FalseTexts = ["false", "no", "n", "f"];

    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value) =>
        ValueForms.TryParseInteger(text, out value, out _)
        || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDecimal(ReadOnlySpan<char> text, out double value) =>
        ValueForms.TryParseDecimal(text, out value, out _)
        || (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value));

    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        foreach (var t in TrueTexts)
        {
            if (text.Equals(t, StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
        }
        foreach (var f in FalseTexts)
        {
            if (text.Equals(f, StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
        }
        value = false;
        return false;
    }

    /// <summary>ISO 8601 dates and date-times; a value without offset is taken as UTC.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        if (ValueForms.TryParseTimestamp(text, out var ticks, out _))
        {
            value = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        // A bare number is not a timestamp, even though some parsers would take it as a year.
        if (text.Length < 8 || !char.IsDigit(text[0]) || text.IndexOf('-') < 0)
        {
            value = default;
            return false;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    public static bool IsNullText(ReadOnlySpan<char> text, TableReadOptions options)
    {
        if (text.IsEmpty) return true;
        foreach (var token in options.NullTokens)
        {
            if (text.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    public static ColumnType Infer(IReadOnlyCollection<string> nonNullTexts, TableReadOptions options)
    {
        if (nonNullTexts.Count == 0) return ColumnType.String;
        if (nonNullTexts.All(t => TryParseInteger(t, out _))) return ColumnType.Integer;
        if (nonNullTexts.All(t => TryParseDecimal(t, out _))) return ColumnType.Decimal;
        if (nonNullTexts.All(t => TryParseBoolean(t, out _))) return ColumnType.Boolean;
        if (nonNullTexts.All(t => TryParseTimestamp(t, out _))) return ColumnType.Timestamp;
        var distinct = nonNullTexts.Distinct(StringComparer.Ordinal).Count();
        return distinct <= options.CategoricalMaxDistinct && distinct <= nonNullTexts.Count * options.CategoricalMaxDistinctRatio
            ? ColumnType.Categorical
            : ColumnType.String;
    }
}
