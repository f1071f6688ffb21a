using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Detectors;

/// <summary>
/// Deterministic test data for the detectors: correlated Gaussian features (x = L z + noise, a few latent factors,
/// each feature with its own offset and scale) and outliers injected at known rows. Shared by the isolation forest and
/// autoencoder tests.
/// </summary>
internal sealed class SyntheticFeatures
{
    private readonly double[,] _loadings;
    private readonly double[] _offset;
    private readonly double[] _scale;
    private readonly Random _random;

    public SyntheticFeatures(int features, int factors = 3, double noise = 0.1, int seed = 7)
    {
        Features = features;
        Factors = factors;
        Noise = noise;
        _random = new Random(seed);
        _loadings = new double[features, factors];
        _offset = new double[features];
        _scale = new double[features];
        for (var i = 0; i < features; i++)
        {
            for (var k = 0; k < factors; k++) _loadings[i, k] = _random.NextDouble() * 2 - 1;
            _offset[i] = (_random.NextDouble() - 0.5) * 100;
            _scale[i] = Math.Pow(10, _random.NextDouble() * 3 - 1); // 0.1 .. 100: detectors must not depend on units
        }
        Names = [.. Enumerable.Range(0, features).Select(i => $"f{i}")];
    }

    public int Features { get; }

    public int Factors { get; }

    public double Noise { get; }

    public string[] Names { get; }

    /// <summary>Rows drawn from the correlated distribution only.</summary>
    public FeatureMatrix Normal(int rows) => Build(rows, 0, Outlier.None).Matrix;

    /// <summary>
    /// <paramref name="rows"/> rows of which the first <paramref name="outliers"/> (flagged in the result) are outliers of
    /// <paramref name="kind"/>; the rest are normal.
    /// </summary>
    public (FeatureMatrix Matrix, bool[] IsOutlier) WithOutliers(int rows, int outliers, Outlier kind) => Build(rows, outliers, kind);

    private (FeatureMatrix Matrix, bool[] IsOutlier) Build(int rows, int outliers, Outlier kind)
    {
        var values = new float[rows * Features];
        var flags = new bool[rows];
        var latent = new double[Factors];
        var other = new double[Factors];
        for (var r = 0; r < rows; r++)
        {
            var outlier = r < outliers ? kind : Outlier.None;
            flags[r] = outlier != Outlier.None;
            Draw(latent);
            Draw(other);
            var extreme = _random.Next(Features);
            var sign = _random.Next(2) == 0 ? -1 : 1;
            for (var i = 0; i < Features; i++)
            {
                // Correlation-breaking: the second half of the features follows another draw of the factors, so every
                // value is typical on its own and only the relation between the halves is wrong.
                var z = outlier == Outlier.CorrelationBreaking && i >= Features / 2 ? other : latent;
                double standard = 0;
                for (var k = 0; k < Factors; k++) standard += _loadings[i, k] * z[k];
                standard += Noise * Gaussian();
                if (outlier == Outlier.Extreme && i == extreme) standard += sign * 6 * StandardDeviation(i);
                values[r * Features + i] = (float)(_offset[i] + _scale[i] * standard);
            }
        }
        return (new FeatureMatrix(values, rows, Names), flags);
    }

    /// <summary>The standard deviation of feature <paramref name="i"/> in standard units (before offset and scale).</summary>
    private double StandardDeviation(int i)
    {
        var variance = Noise * Noise;
        for (var k = 0; k < Factors; k++) variance += _loadings[i, k] * _loadings[i, k];
        return Math.Sqrt(variance);
    }

    private void Draw(double[] latent)
    {
        for (var k = 0; k < latent.Length; k++) latent[k] = Gaussian();
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}

internal enum Outlier
{
    None,

    /// <summary>One feature shifted by 6 of its standard deviations.</summary>
    Extreme,

    /// <summary>Typical values whose cross-feature correlations are broken.</summary>
    CorrelationBreaking,
}

internal static class Ranking
{
    /// <summary>ROC-AUC of scores against labels: the chance an outlier outscores a normal row (ties count half).</summary>
    public static double RocAuc(IReadOnlyList<float> scores, IReadOnlyList<bool> isOutlier)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            for (var j = start; j <= end; j++) ranks[order[j]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        double positives = isOutlier.Count(o => o), negatives = isOutlier.Count - positives, rankSum = 0;
        for (var i = 0; i < ranks.Length; i++)
            if (isOutlier[i]) rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
