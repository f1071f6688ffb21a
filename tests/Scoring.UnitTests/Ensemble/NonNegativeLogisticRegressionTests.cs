using Vigil.Scoring.Ensemble;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class NonNegativeLogisticRegressionTests
{
    [Fact]
    public void An_informative_column_gets_weight_noise_little_and_an_inverted_column_none()
    {
        var random = new Random(1);
        var labels = Enumerable.Range(0, 4000).Select(i => i % 20 == 0).ToList();
        double Noise() => -Math.Log(1 - random.NextDouble());
        var informative = labels.Select(l => Noise() + (l ? 4 : 0)).ToArray();
        var noise = labels.Select(_ => Noise()).ToArray();
        var inverted = labels.Select(l => Noise() + (l ? 0 : 2)).ToArray();

        var weights = NonNegativeLogisticRegression.Fit([informative, noise, inverted], labels);

        Assert.True(weights[0] > 0.5, $"informative {weights[0]}");
        Assert.True(weights[1] < 0.2 * weights[0], $"noise {weights[1]} against {weights[0]}");
        Assert.Equal(0, weights[2]);
    }

    [Fact]
    public void Perfectly_separated_classes_give_finite_weights()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i < 10).ToList();
        var column = labels.Select((l, i) => l ? 50.0 + i : i % 5).ToArray();

        var weights = NonNegativeLogisticRegression.Fit([column], labels);

        Assert.True(double.IsFinite(weights[0]) && weights[0] > 0, $"weight {weights[0]}");
    }

    [Fact]
    public void One_class_only_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NonNegativeLogisticRegression.Fit([[1.0, 2.0]], [false, false]));
    }
}
