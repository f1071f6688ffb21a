using Vigil.Scoring.Events;

namespace Vigil.Scoring.UnitTests.Events;

public sealed class OnlineStatisticsTests
{
    [Fact]
    public void Welford_updates_match_the_two_pass_mean_and_sample_deviation()
    {
        double[] values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
        var stats = values.Aggregate(new OnlineStatistics(), (s, v) => s.Add(v));
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        Assert.Equal(4, stats.Count);
        Assert.Equal(mean, stats.Mean, 6);
        Assert.Equal(sd, stats.StandardDeviation, 9);
    }

    [Fact]
    public void Z_is_measured_against_the_history_before_the_value()
    {
        var stats = new[] { 10.0, 12, 8, 10 }.Aggregate(new OnlineStatistics(), (s, v) => s.Add(v));
        Assert.Equal((30 - 10) / stats.StandardDeviation, stats.ZScore(30), 9);
        Assert.Equal(0, new OnlineStatistics().Add(5).ZScore(1000));
    }

    [Fact]
    public void A_value_breaking_a_constant_history_stands_out()
    {
        var stats = Enumerable.Repeat(100.0, 30).Aggregate(new OnlineStatistics(), (s, v) => s.Add(v));
        Assert.True(stats.ZScore(101) > 1000);
        Assert.Equal(0, stats.ZScore(100));
    }
}
