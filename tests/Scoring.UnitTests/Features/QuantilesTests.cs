using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Features;

public class QuantilesTests
{
    public static TheoryData<float[]> Samples()
    {
        var random = new Random(7);
        var data = new TheoryData<float[]>
        {
            new[] { 3.5f },
            new[] { 2f, -1f },
            new[] { 4f, 4f, 4f, 4f },
            new[] { 4f, 4f, 4f, 4f, 4f },
            new[] { 0f, -0f, 0f, 1f },
        };
        foreach (var count in new[] { 2, 3, 16, 17, 100, 101, 5_000, 5_001 })
        {
            // Continuous values, and tie-heavy ones: few distinct values, and one value holding most of the rows.
            data.Add([.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 200 - 100))]);
            data.Add([.. Enumerable.Range(0, count).Select(_ => (float)random.Next(3))]);
            data.Add([.. Enumerable.Range(0, count).Select(_ => random.Next(10) < 8 ? 0f : (float)random.Next(1, 5))]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_median_is_that_of_the_sorted_values_to_the_bit(float[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var reference = Quantiles.OfSorted<float>(sorted, 0.5);

        var general = Quantiles.OfUnsorted(values.ToArray().AsSpan(), 0.5);
        var scratch = values.ToArray();
        var median = Quantiles.Median(scratch.AsSpan());

        Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(general));
        Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(median));
        Array.Sort(scratch);
        Assert.Equal(sorted, scratch);
    }

    [Fact]
    public void The_median_of_no_values_is_refused() =>
        Assert.Throws<ArgumentException>(() => Quantiles.Median(Span<float>.Empty));
}
