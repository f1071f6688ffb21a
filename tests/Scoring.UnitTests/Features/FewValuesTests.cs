using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Features;

public class FewValuesTests
{
    public static TheoryData<float[]> Samples()
    {
        var random = new Random(11);
        var data = new TheoryData<float[]>
        {
            new[] { 3.5f },
            new[] { 2f, -1f },
            new[] { 4f, 4f, 4f, 4f },
            new[] { 4f, 4f, 4f, 4f, 4f },
            new[] { 1f, 0f, 0f, 1f, 0f, 0f },
        };
        foreach (var count in new[] { 2, 3, 16, 17, 100, 101, 5_000, 5_001 })
        {
            // One-hot columns (mostly 0, mostly 1), a flag split evenly, and four arbitrary values.
            data.Add([.. Enumerable.Range(0, count).Select(_ => random.Next(10) < 9 ? 0f : 1f)]);
            data.Add([.. Enumerable.Range(0, count).Select(_ => random.Next(10) < 9 ? 1f : 0f)]);
            data.Add([.. Enumerable.Range(0, count).Select(_ => (float)random.Next(2))]);
            data.Add([.. Enumerable.Range(0, count).Select(_ => new[] { -2.75f, 0.1f, 3f, 1e6f }[random.Next(4)])]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Order_statistics_by_counting_are_those_of_selection_to_the_bit(float[] values)
    {
        var few = FewValues.TryCount(values);

        Assert.NotNull(few);
        Assert.Equal(values.Length, few.Count);
        var median = Quantiles.Median(values.ToArray().AsSpan());
        Assert.Equal(Bits(median), Bits(few.Median()));
        foreach (var p in new[] { 0, 0.25, 0.5, 0.75, 1 })
            Assert.Equal(Bits(Quantiles.OfUnsorted(values.ToArray().AsSpan(), p)), Bits(few.Quantile(p)));
        var deviations = values.Select(v => (float)Math.Abs(v - median)).ToArray();
        Assert.Equal(Bits(Quantiles.Median(deviations.AsSpan())), Bits(few.AbsoluteDeviations(median).Median()));
    }

    [Fact]
    public void A_column_of_more_values_NaN_or_none_is_left_to_selection()
    {
        Assert.Null(FewValues.TryCount([0f, 1f, 2f, 3f, 4f]));
        Assert.Null(FewValues.TryCount([0f, float.NaN, 0f]));
        Assert.Null(FewValues.TryCount([]));
        Assert.NotNull(FewValues.TryCount([0f, 1f, 2f, 3f, 3f, 0f]));
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
