using System.Globalization;
using System.Text;
using Vigil.Scoring.Reports;

namespace Vigil.Scoring.UnitTests.Reports;

/// <summary>FourDecimalFormat writes exactly what <c>ToString("0.####", CultureInfo.InvariantCulture)</c> writes, for doubles and floats.</summary>
public sealed class FourDecimalFormatTests
{
    private const int Samples = 100_000;

    public static TheoryData<double> DoubleEdges =>
    [
        0.0, -0.0, 0.00005, -0.00005, 0.000049999999999999996, 0.00004999999999999999, -0.00001, -0.00004, 0.00001, 4e-5,
        Math.BitDecrement(4e-5), Math.BitIncrement(4e-5), 0.5, 0.99995, 9.99995, 99.99995, 100, 99.99994999999999,
        0.30000000000000004, 1.000030517578125, 1.000091552734375, -1.000030517578125, 0.12345, 0.00015, 2.00025, 123456789.00005,
        9_999_999_999.99995, 12_345_678_901_234.5, Math.BitDecrement(1e14), 1e14, 1e15, 1.5e16, 123456789012.34567,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon,
    ];

    public static TheoryData<float> FloatEdges =>
    [
        0f, -0f, 0.00005f, -0.00005f, -0.00001f, 0.00001f, 4e-5f, 0.5f, 0.99995f, 9.99995f, 12.34565f, 99.99995f, 123.45675f,
        999.99995f, 1.0078125f, 1.0000001f, 1048576.5f, 1048577.5f, 9_999_998.5f, MathF.BitDecrement(1e7f), 1e7f, 16777217f, 3.4e38f,
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon,
    ];

    [Theory]
    [MemberData(nameof(DoubleEdges))]
    public void A_double_edge_case_is_written_as_ToString_writes_it(double value) => AssertSame(value);

    [Theory]
    [MemberData(nameof(FloatEdges))]
    public void A_float_edge_case_is_written_as_ToString_writes_it(float value) => AssertSame(value);

    [Fact]
    public void Random_doubles_of_every_magnitude_are_written_as_ToString_writes_them()
    {
        var random = new Random(16);
        for (var i = 0; i < Samples; i++)
        {
            AssertSame(random.NextDouble());
            AssertSame(random.NextDouble() * 100);
            AssertSame(Math.Round(random.NextDouble() * 100, 4)); // a risk: rounded to four decimals
            AssertSame(Sign(random) * Math.Pow(10, random.NextDouble() * 26 - 9)); // 1e-9 to 1e17, either sign
            AssertSame(BitConverter.Int64BitsToDouble(random.NextInt64())); // any bits: NaNs, subnormals, huge values
        }
    }

    [Fact]
    public void Random_floats_of_every_magnitude_are_written_as_ToString_writes_them()
    {
        var random = new Random(17);
        for (var i = 0; i < Samples; i++)
        {
            AssertSame(random.NextSingle());
            AssertSame(random.NextSingle() * 30); // an evidence in nats
            AssertSame((float)(Sign(random) * Math.Pow(10, random.NextDouble() * 18 - 9))); // 1e-9 to 1e9, either sign
            AssertSame(BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)));
        }
    }

    [Fact]
    public void Values_next_to_a_half_of_the_last_decimal_are_rounded_as_ToString_rounds_them()
    {
        // k/10^4 + 0.00005 and its neighbours a few units in the last place away, where the two roundings meet.
        var random = new Random(18);
        for (var i = 0; i < Samples / 4; i++)
        {
            var tie = (random.Next(0, 1_000_000) + 0.5) / 10_000;
            var d = tie;
            var f = (float)tie;
            for (var step = 0; step < 4; step++)
            {
                d = Math.BitDecrement(d);
                f = MathF.BitDecrement(f);
            }
            for (var step = 0; step < 9; step++)
            {
                AssertSame(d);
                AssertSame(-d);
                AssertSame(f);
                d = Math.BitIncrement(d);
                f = MathF.BitIncrement(f);
            }
        }
    }

    [Fact]
    public void Exact_binary_fractions_ties_of_the_significant_digits_included_are_written_as_ToString_writes_them()
    {
        // An integer plus an odd number of 2^-j has j exact decimals: at 16 significant digits for a double (8 for a
        // float) the first rounding meets an exact tie, which goes to the even digit.
        var random = new Random(19);
        for (var i = 0; i < Samples / 2; i++)
        {
            var j = random.Next(1, 40);
            var fraction = (2L * random.NextInt64(1L << Math.Min(j - 1, 30)) + 1) / Math.Pow(2, j);
            AssertSame(random.Next(0, 100_000) + fraction);
            AssertSame(random.Next(0, 100) + fraction);
            AssertSame((float)(random.Next(0, 2_000) + fraction));
            AssertSame((float)fraction);
        }
    }

    [Fact]
    public void A_destination_too_small_is_refused_as_the_framework_refuses_it()
    {
        byte[] expected = new byte[64], actual = new byte[64];
        foreach (var value in new[] { 12.3456, -0.00001, 1e20, double.NaN, 99_999_999_999_999.99 })
        {
            for (var length = 0; length < 40; length++)
            {
                var framework = value.TryFormat(expected.AsSpan(0, length), out var frameworkWritten, "0.####", CultureInfo.InvariantCulture);
                var fast = FourDecimalFormat.TryFormat(value, actual.AsSpan(0, length), out var written);
                Assert.Equal(framework, fast);
                if (framework) Assert.Equal(expected[..frameworkWritten], actual[..written]);
            }
        }
    }

    private static double Sign(Random random) => random.Next(2) == 0 ? 1 : -1;

    private static void AssertSame(double value)
    {
        Span<byte> destination = stackalloc byte[512];
        // Every finite value below the limit takes the fast path; the rest the framework's formatting.
        Assert.Equal(double.IsFinite(value) && Math.Abs(value) < FourDecimalFormat.DoubleLimit, FourDecimalFormat.TryWrite(value, destination, out _));
        Assert.True(FourDecimalFormat.TryFormat(value, destination, out var written));
        var expected = value.ToString("0.####", CultureInfo.InvariantCulture);
        var actual = Encoding.UTF8.GetString(destination[..written]);
        if (actual != expected) Assert.Fail($"{value:R}: expected {expected}, wrote {actual}");
    }

    private static void AssertSame(float value)
    {
        Span<byte> destination = stackalloc byte[512];
        Assert.Equal(float.IsFinite(value) && Math.Abs(value) < FourDecimalFormat.FloatLimit, FourDecimalFormat.TryWrite(value, destination, out _));
        Assert.True(FourDecimalFormat.TryFormat(value, destination, out var written));
        var expected = value.ToString("0.####", CultureInfo.InvariantCulture);
        var actual = Encoding.UTF8.GetString(destination[..written]);
        if (actual != expected) Assert.Fail($"{value:R}f: expected {expected}, wrote {actual}");
    }
}
