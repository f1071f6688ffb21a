using System.Globalization;

namespace Vigil.Scoring.Reports;

/// <summary>
/// A double or a float as <c>ToString("0.####", CultureInfo.InvariantCulture)</c> writes it, byte for byte, straight into
/// UTF-8: the reports' risk and evidence without the framework's custom-format machinery on every value.
/// </summary>
/// <remarks>
/// <para>
/// The framework formats a custom format from the value's first 15 significant digits for a double and 7 for a float,
/// correctly rounded with ties to even; it then rounds those digits to four decimals, half up on the first digit
/// dropped (so 0.000049999999999999996 becomes 0.0001), and writes a minus sign before every negative value, also one
/// that rounds to nothing ("-0", as for -0.0).
/// </para>
/// <para>
/// Both roundings are done here in integers. The magnitude times a power of ten is known exactly as a double and its
/// rounding error (a fused multiply-add), so the first rounding sees ties exactly. Magnitudes of 1e14 and more (double)
/// or 1e7 and more (float), NaN and the infinities go to the framework's own formatting.
/// </para>
/// </remarks>
internal static class FourDecimalFormat
{
    public const string Format = "0.####";

    private const int DoubleDigits = 15;
    private const int FloatDigits = 7;

    /// <summary>Magnitudes from here on are left to the framework (a double's; then a float's).</summary>
    internal const double DoubleLimit = 1e14, FloatLimit = 1e7;

    /// <summary>Below this a value rounds to 0 under either precision (its digits never reach 0.00005).</summary>
    private const double RoundsToZero = 4e-5;

    /// <summary>Room for what the fast path may write: a sign, 15 integer digits, a point and four decimals.</summary>
    private const int FastRoom = 24;

    private const long Units = 10_000;

    // Every power here is exact as a double.
    private static ReadOnlySpan<double> DoublePowers =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private static ReadOnlySpan<long> LongPowers =>
    [
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L,
        100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L,
        10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    ];

    /// <summary>As <see cref="double.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/> with "0.####", invariant.</summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written) =>
        TryWrite(value, destination, out written) || value.TryFormat(destination, out written, Format, CultureInfo.InvariantCulture);

    /// <summary>As <see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/> with "0.####", invariant.</summary>
    public static bool TryFormat(float value, Span<byte> destination, out int written) =>
        TryWrite(value, destination, out written) || value.TryFormat(destination, out written, Format, CultureInfo.InvariantCulture);

    /// <summary>The fast path alone: false, with nothing written, for a value (NaN, infinite, 1e14 or more) or a room (under 24 bytes) left to the framework.</summary>
    internal static bool TryWrite(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < FastRoom || !TryRound(Math.Abs(value), DoubleDigits, DoubleLimit, out var units)) return false;
        written = Write(destination, double.IsNegative(value), (ulong)units);
        return true;
    }

    /// <summary>The fast path alone: false, with nothing written, for a value (NaN, infinite, 1e7 or more) or a room (under 24 bytes) left to the framework.</summary>
    internal static bool TryWrite(float value, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < FastRoom || !TryRound(Math.Abs((double)value), FloatDigits, FloatLimit, out var units)) return false;
        written = Write(destination, float.IsNegative(value), (ulong)units);
        return true;
    }

    /// <summary>
    /// <paramref name="magnitude"/> in ten-thousandths, rounded as the framework rounds it: first to <paramref name="digits"/>
    /// significant digits (ties to even), then half up to four decimals. False when it is not below <paramref name="limit"/> (or NaN).
    /// </summary>
    private static bool TryRound(double magnitude, int digits, double limit, out long units)
    {
        units = 0;
        if (!(magnitude < limit)) return false;
        if (magnitude < RoundsToZero) return true;

        // The decimal exponent of the first significant digit: the estimate from the binary exponent is it or one less.
        var exponent = (Math.ILogB(magnitude) * 1233) >> 12;
        var (scaled, error) = Scale(magnitude, digits - 1 - exponent);
        var top = DoublePowers[digits];
        if (scaled > top || (scaled == top && error >= 0))
        {
            exponent++;
            (scaled, error) = Scale(magnitude, digits - 1 - exponent);
        }

        // scaled + error is exact, and error is at most half a unit in the last place of scaled (at most 1/16 here), so
        // the fraction of scaled decides the rounding unless it is exactly one half.
        var whole = Math.Floor(scaled);
        var fraction = scaled - whole;
        var significand = (long)whole;
        if (fraction > 0.5 || (fraction == 0.5 && (error > 0 || (error == 0 && (significand & 1) != 0)))) significand++;

        // The significand's last digit is worth 10^(exponent - digits + 1); four decimals are worth 10^-4.
        var dropped = digits - 5 - exponent;
        if (dropped <= 0)
        {
            units = significand * LongPowers[-dropped];
            return true;
        }
        var divisor = LongPowers[dropped];
        units = significand / divisor;
        if (significand - units * divisor >= divisor / 2) units++;
        return true;
    }

    /// <summary>magnitude x 10^power as a double and the product's rounding error (exact: the power is exact and nothing underflows).</summary>
    private static (double Scaled, double Error) Scale(double magnitude, int power)
    {
        var factor = DoublePowers[power];
        var scaled = magnitude * factor;
        return (scaled, Math.FusedMultiplyAdd(magnitude, factor, -scaled));
    }

    private static int Write(Span<byte> destination, bool negative, ulong units)
    {
        var length = 0;
        if (negative) destination[length++] = (byte)'-';
        var (integer, fraction) = Math.DivRem(units, (ulong)Units);
        integer.TryFormat(destination[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (fraction == 0) return length;

        destination[length++] = (byte)'.';
        var decimals = 4;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }
        for (var d = decimals - 1; d >= 0; d--)
        {
            (fraction, var digit) = Math.DivRem(fraction, 10UL);
            destination[length + d] = (byte)('0' + digit);
        }
        return length + decimals;
    }
}
