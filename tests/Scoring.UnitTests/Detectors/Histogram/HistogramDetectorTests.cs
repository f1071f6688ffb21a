using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Detectors.Histogram;

public sealed class HistogramDetectorTests
{
    private static FeatureMatrix Matrix(params float[][] rows) =>
        new([.. rows.SelectMany(r => r)], rows.Length, [.. Enumerable.Range(0, rows[0].Length).Select(i => $"f{i}")]);

    /// <summary>A bimodal column: half the records near 0, half near 10, nothing in between.</summary>
    private static FeatureMatrix Bimodal(int rows, int seed)
    {
        var random = new Random(seed);
        return Matrix([.. Enumerable.Range(0, rows).Select(i => new[] { (float)((i % 2) * 10 + random.NextDouble() * 0.5), (float)random.NextDouble() })]);
    }

    [Fact]
    public void A_value_between_two_modes_scores_higher_than_values_in_either_mode()
    {
        // The median of a bimodal column lies between its modes: a robust z calls the value there ordinary.
        var detector = HistogramDetector.Fit(Bimodal(2000, seed: 1));

        var scores = detector.ScoresOnly(Matrix([0.2f, 0.5f], [10.2f, 0.5f], [5.2f, 0.5f]));

        Assert.True(scores[2] > scores[0] + 3 && scores[2] > scores[1] + 3, $"scores {string.Join(", ", scores)}");
    }

    [Fact]
    public void A_value_outside_the_fitted_range_gets_the_largest_surprise_and_the_range_ends_do_not()
    {
        var training = Bimodal(1000, seed: 2);
        var detector = HistogramDetector.Fit(training);
        var high = Enumerable.Range(0, training.Rows).Max(r => training[r, 0]);
        var low = Enumerable.Range(0, training.Rows).Min(r => training[r, 0]);

        var result = detector.Score(Matrix([high, 0.5f], [low, 0.5f], [high + 5, 0.5f], [low - 5, 0.5f], [float.NaN, 0.5f]));

        var outside = (float)Math.Log(training.Rows + 1);
        float Contribution(int row) => result.Contributions![row * 2];
        Assert.True(Contribution(0) < 2 && Contribution(1) < 2, $"range ends {Contribution(0)}, {Contribution(1)}");
        Assert.Equal(outside, Contribution(2), 4);
        Assert.Equal(outside, Contribution(3), 4);
        Assert.Equal(outside, Contribution(4), 4);
        Assert.Equal(result.Scores[2], Contribution(2) + result.Contributions![2 * 2 + 1], 4);
    }

    [Fact]
    public void A_constant_feature_adds_nothing_for_its_value_and_the_most_for_any_other()
    {
        var detector = HistogramDetector.Fit(Matrix([.. Enumerable.Range(0, 500).Select(i => new[] { 3f, i % 7 })]));

        var result = detector.Score(Matrix([3f, 2f], [3.5f, 2f]));

        Assert.True(result.Contributions![0] < 0.01f, $"the constant value's surprise {result.Contributions[0]}");
        Assert.Equal((float)Math.Log(501), result.Contributions[2], 4);
    }

    [Fact]
    public void Many_moderately_rare_values_outrank_one_value_in_a_common_bin()
    {
        // Four uniform columns: a record in a sparse corner of each outranks one that is ordinary everywhere.
        var random = new Random(3);
        var rows = Enumerable.Range(0, 3000).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)Math.Pow(random.NextDouble(), 3)).ToArray()).ToArray();
        var detector = HistogramDetector.Fit(Matrix(rows));

        var scores = detector.ScoresOnly(Matrix([0.95f, 0.95f, 0.95f, 0.95f], [0.01f, 0.01f, 0.01f, 0.95f]));

        Assert.True(scores[0] > scores[1], $"scores {string.Join(", ", scores)}");
    }

    [Fact]
    public void A_stored_detector_scores_as_the_original_and_a_damaged_one_is_refused()
    {
        var detector = HistogramDetector.Fit(Bimodal(800, seed: 4));
        var probe = Bimodal(50, seed: 5);

        var restored = HistogramDetector.FromJson(detector.ToJson());

        Assert.Equal(detector.ScoresOnly(probe), restored.ScoresOnly(probe));
        var damaged = detector.ToJson().Replace("\"version\":1", "\"version\":7", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => HistogramDetector.FromJson(damaged));
        var negative = System.Text.Json.Nodes.JsonNode.Parse(detector.ToJson())!;
        negative["surprise"]![0]![3] = -1;
        Assert.Throws<InvalidDataException>(() => HistogramDetector.FromJson(negative.ToJsonString()));
    }

    [Fact]
    public void Scoring_other_features_than_fitted_is_refused()
    {
        var detector = HistogramDetector.Fit(Bimodal(100, seed: 6));

        var error = Assert.Throws<ArgumentException>(() => detector.ScoresOnly(new FeatureMatrix([1f, 2f, 3f], 1, ["x", "y", "z"])));
        Assert.Contains("histogram detector", error.Message);
    }
}
