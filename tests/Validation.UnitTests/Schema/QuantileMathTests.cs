using Vigil.Validation.Schema;

namespace Vigil.Validation.UnitTests.Schema;

public sealed class QuantileMathTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 3)]
    [InlineData(1_000, 10)]
    [InlineData(100_000, 50)]
    [InlineData(100_001, 100_000)]
    public void Selected_quantiles_equal_those_of_the_sorted_values(int count, int distinct)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => (double)random.Next(distinct) * 0.5 - 3).ToArray();
        var sorted = values.Order().ToArray();

        var quantiles = QuantileMath.Of(values, ColumnProfile.QuantileLevels);

        Assert.Equal(ColumnProfile.QuantileLevels.Select(p => QuantileMath.OfSorted<double>(sorted, p)), quantiles);
    }

    [Fact]
    public void Quantiles_of_sorted_and_reversed_runs_are_found()
    {
        double[] ascending = [.. Enumerable.Range(0, 5_001).Select(i => (double)i)];
        double[] descending = [.. ascending.Reverse()];

        Assert.Equal([50, 1250, 2500, 3750, 4950], QuantileMath.Of(ascending, ColumnProfile.QuantileLevels));
        Assert.Equal([50, 1250, 2500, 3750, 4950], QuantileMath.Of(descending, ColumnProfile.QuantileLevels));
    }
}
