namespace Vigil.Scoring.Events;

/// <summary>
/// Rolling count, mean and M2 (sum of squared deviations) of one entity's column, updated one value at a time with
/// Welford's method (numerically stable, no stored history). The Redis script in <see cref="EntityStatisticsStore"/>
/// performs exactly these steps server-side; this type is the reference the unit tests hold it to.
/// </summary>
public readonly record struct OnlineStatistics(long Count, double Mean, double M2)
{
    public double StandardDeviation => Count > 1 ? Math.Sqrt(M2 / (Count - 1)) : 0;

    public OnlineStatistics Add(double value)
    {
        var count = Count + 1;
        var delta = value - Mean;
        var mean = Mean + delta / count;
        return new OnlineStatistics(count, mean, M2 + delta * (value - mean));
    }

    /// <summary>
    /// How many standard deviations <paramref name="value"/> lies from the mean seen so far (0 with fewer than two
    /// observations). The deviation is floored at a millionth of the mean's size, so a value that breaks a
    /// perfectly constant history stands out instead of dividing by zero.
    /// </summary>
    public double ZScore(double value)
    {
        if (Count < 2) return 0;
        var spread = Math.Max(StandardDeviation, 1e-6 * Math.Max(1, Math.Abs(Mean)));
        return (value - Mean) / spread;
    }
}
