using System.Globalization;
using System.Runtime.CompilerServices;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Fast parsers for the common written forms of each type, each paired with a one-byte <em>form</em> from which the
/// exact original text can be written back (<c>"007"</c>, <c>"12.50"</c>, <c>"TRUE"</c>,
/// <c>"2024-01-15 10:23:45Z"</c>). A column keeps typed values plus forms instead of its texts, and still gives back
/// every text unchanged should a later value turn it into a text column.
/// </summary>
/// <remarks>
/// Every fast parser accepts only texts that <see cref="ColumnInference"/>'s general parser accepts too, with the
/// same value; texts they turn down go to the general parser, and a column keeps those few texts as they are.
/// </remarks>
internal static class ValueForms
{
    private const int MaxDecimals = 19;
    private const ulong MantissaLimit = 1_000_000_000_000_000; // 10^15: 15 significant digits, exact in a double

    // Every power of ten up to 10^22 is exact in a double.
    private static readonly double[] PowersOf10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19];

    private static readonly string[] DecimalFormats = [.. Enumerable.Range(0, MaxDecimals + 1).Select(i => "F" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly string[] IntegerFormats = [.. Enumerable.Range(0, 19).Select(i => "D" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly string[] BooleanTokens = ["true", "yes", "y", "t", "false", "no", "n", "f"];

    private static readonly string?[] TimestampFormats = new string?[256];

    /// <summary>
    /// <c>-?[0-9]{1,18}</c> other than a negative zero. Form 0: written as <see cref="long.ToString()"/> writes it;
    /// form n: zero-padded to n digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value, out byte form)
    {
        value = 0;
        form = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length is 0 or > 18) return false;

        ulong magnitude = 0;
        foreach (var c in digits)
        {
            var digit = (uint)(c - '0');
            if (digit > 9) return false;
            magnitude = magnitude * 10 + digit;
        }

        if (negative && magnitude == 0) return false;
        value = negative ? -(long)magnitude : (long)magnitude;
        form = digits.Length > 1 && digits[0] == '0' ? (byte)digits.Length : (byte)0;
        return true;
    }

    public static string FormatInteger(long value, byte form) =>
        value.ToString(form == 0 ? null : IntegerFormats[form], CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c> with at most 15 significant digits and 19 decimals, other than a negative
    /// zero. The value is the digits as an exact integer divided by an exact power of ten, which IEEE division rounds
    /// exactly as <see cref="double.Parse(string)"/> does; with 15 significant digits at most, "F<i>n</i>" (n the
    /// number of decimals, which is the form) writes the text back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out double value, out byte form)
    {
        value = 0;
        form = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == '-';
        if (negative) i = 1;

        var integerStart = i;
        ulong mantissa = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            mantissa = mantissa * 10 + (uint)(text[i] - '0');
            if (mantissa >= MantissaLimit) return false;
            i++;
        }

        var integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text[integerStart] == '0')) return false;

        var decimals = 0;
        if (i < text.Length)
        {
            if (text[i] != '.') return false;
            i++;
            var fractionStart = i;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
                if (mantissa >= MantissaLimit) return false;
                i++;
            }

            decimals = i - fractionStart;
            if (decimals == 0 || i < text.Length) return false;
        }

        // The mantissa stays below 10^15 (checked digit by digit); leading zeros of a fraction are not significant.
        if (decimals > MaxDecimals || (negative && mantissa == 0)) return false;
        value = mantissa / PowersOf10[decimals];
        if (negative) value = -value;
        form = (byte)decimals;
        return true;
    }

    public static string FormatDecimal(double value, byte form) => value.ToString(DecimalFormats[form], CultureInfo.InvariantCulture);

    /// <summary>
    /// The boolean texts in lower case, upper case or capitalised. The form is the token's index (true texts first)
    /// plus 8 times the casing (0 lower, 1 upper, 2 capitalised).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value, out byte form)
    {
        value = false;
        form = 0;
        if (text.Length is 0 or > 5) return false;

        // Lower-case the ASCII letters, noting which were upper case: the first, the rest, or none.
        var upperFirst = text[0] is >= 'A' and <= 'Z';
        var upperRest = 0; // 1: some upper, 2: some lower
        Span<char> lower = stackalloc char[5];
        lower[0] = upperFirst ? (char)(text[0] | 0x20) : text[0];
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= 'A' and <= 'Z')
            {
                upperRest |= 1;
                c = (char)(c | 0x20);
            }
            else if (c is >= 'a' and <= 'z')
            {
                upperRest |= 2;
            }
            lower[i] = c;
        }

        var casing = (upperFirst, upperRest) switch
        {
            (false, 0 or 2) => 0,
            (true, 0 or 1) => 1,
            (true, 2) => 2,
            _ => -1, // mIxEd case: the general parser takes it, and the column keeps the text
        };
        if (casing < 0) return false;

        var token = lower[..text.Length];
        int index;
        switch (token.Length)
        {
            case 1:
                index = token[0] switch { 'y' => 2, 't' => 3, 'n' => 6, 'f' => 7, _ => -1 };
                break;
            case 2:
                index = token is "no" ? 5 : -1;
                break;
            case 3:
                index = token is "yes" ? 1 : -1;
                break;
            case 4:
                index = token is "true" ? 0 : -1;
                break;
            default:
                index = token is "false" ? 4 : -1;
                break;
        }
        if (index < 0) return false;

        value = index < 4;
        form = (byte)(index + 8 * casing);
        return true;
    }

    public static string FormatBoolean(byte form)
    {
        var token = BooleanTokens[form & 7];
        return (form >> 3) switch
        {
            0 => token,
            1 => token.ToUpperInvariant(),
            _ => char.ToUpperInvariant(token[0]) + token[1..],
        };
    }

    /// <summary>
    /// <c>yyyy-MM-dd</c>, optionally followed by <c>T</c> or a space and <c>HH:mm</c>, <c>:ss</c>, <c>.f</c> to
    /// <c>.fffffff</c>, and <c>Z</c> or <c>+00:00</c>; a value without a zone is UTC. The value is UTC ticks.
    /// Form bits: 0 time, 1 space separator, 2 seconds, 3-5 fraction digits, 6-7 zone (0 none, 1 Z, 2 +00:00).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long utcTicks, out byte form)
    {
        utcTicks = 0;
        form = 0;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-') return false;
        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;

        var ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (text.Length == 10)
        {
            utcTicks = ticks;
            return true;
        }

        // Time of day: [T ]HH:mm
        if (text.Length < 16 || text[10] is not ('T' or ' ') || text[13] != ':') return false;
        if (!TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || hour > 23 || minute > 59) return false;
        var bits = 1 | (text[10] == ' ' ? 2 : 0);
        ticks += hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute;
        var i = 16;

        if (i < text.Length && text[i] == ':')
        {
            if (text.Length < 19 || !TryDigits(text.Slice(17, 2), out var second) || second > 59) return false;
            ticks += second * TimeSpan.TicksPerSecond;
            bits |= 4;
            i = 19;

            if (i < text.Length && text[i] == '.')
            {
                var start = ++i;
                long fraction = 0;
                while (i < text.Length && (uint)(text[i] - '0') <= 9)
                {
                    fraction = fraction * 10 + (text[i] - '0');
                    i++;
                }

                var digits = i - start;
                if (digits is 0 or > 7) return false;
                for (var d = digits; d < 7; d++) fraction *= 10;
                ticks += fraction;
                bits |= digits << 3;
            }
        }

        var zone = text[i..];
        if (zone.Length == 0) { }
        else if (zone is "Z") bits |= 1 << 6;
        else if (zone is "+00:00") bits |= 2 << 6;
        else return false;

        utcTicks = ticks;
        form = (byte)bits;
        return true;
    }

    public static string FormatTimestamp(long utcTicks, byte form)
    {
        var format = TimestampFormats[form] ??= TimestampFormat(form);
        return new DateTime(utcTicks, DateTimeKind.Utc).ToString(format, CultureInfo.InvariantCulture);
    }

    private static string TimestampFormat(byte form)
    {
        var format = "yyyy'-'MM'-'dd";
        if ((form & 1) == 0) return format;
        format += (form & 2) != 0 ? "' 'HH':'mm" : "'T'HH':'mm";
        if ((form & 4) != 0) format += "':'ss";
        var digits = (form >> 3) & 7;
        if (digits > 0) format += "'.'" + new string('f', digits);
        return format + ((form >> 6) switch { 1 => "'Z'", 2 => "'+00:00'", _ => "" });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit > 9) return false;
            value = value * 10 + (int)digit;
        }
        return true;
    }
}
