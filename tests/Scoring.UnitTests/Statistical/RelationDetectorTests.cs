using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Statistical;

public sealed class RelationDetectorTests
{
    private static readonly FeatureSource[] Sources =
    [
        new("before", "before", FeatureEncoding.Numeric, FeatureKind.Value),
        new("amount", "amount", FeatureEncoding.Numeric, FeatureKind.Value),
        new("after", "after", FeatureEncoding.Numeric, FeatureKind.Value),
        new("flag", "flag", FeatureEncoding.Boolean, FeatureKind.Value),
    ];

    /// <summary>after = before - amount to the cent, in units of about 1000 (as robust scaling leaves them).</summary>
    private static FeatureMatrix Balances(int rows, int seed, int broken = -1, double offBy = 0)
    {
        var random = new Random(seed);
        var values = new float[rows * 4];
        for (var r = 0; r < rows; r++)
        {
            var before = Math.Round(500 + random.NextDouble() * 4000, 2);
            var amount = Math.Round(5 + random.NextDouble() * 300, 2);
            var after = before - amount + (r == broken ? offBy : 0);
            values[r * 4] = (float)(before / 1000);
            values[r * 4 + 1] = (float)(amount / 1000);
            values[r * 4 + 2] = (float)(after / 1000);
            values[r * 4 + 3] = random.Next(2);
        }
        return new FeatureMatrix(values, rows, [.. Sources.Select(s => s.Feature)]);
    }

    [Fact]
    public void A_record_that_breaks_an_exact_relation_by_a_few_units_scores_far_above_every_normal_one()
    {
        var detector = RelationDetector.Fit(Balances(5000, seed: 1), Sources);

        var scores = detector.Score(Balances(2000, seed: 2, broken: 77, offBy: 3)).Scores;

        var highestNormal = scores.Where((_, r) => r != 77).Max();
        Assert.True(scores[77] > 5 * highestNormal, $"broken {scores[77]}, highest normal {highestNormal}");
    }

    [Fact]
    public void Only_continuous_numeric_features_are_predicted()
    {
        var detector = RelationDetector.Fit(Balances(1000, seed: 3), Sources);

        Assert.Equal([0, 1, 2], detector.Targets);
    }

    [Fact]
    public void A_detector_read_back_from_json_scores_identically()
    {
        var detector = RelationDetector.Fit(Balances(1000, seed: 4), Sources);
        var batch = Balances(300, seed: 5, broken: 10, offBy: 1);

        var restored = RelationDetector.FromJson(detector.ToJson());

        Assert.Equal(detector.Score(batch).Scores, restored.Score(batch).Scores);
    }

    [Fact]
    public void A_stored_document_with_a_target_outside_the_features_is_rejected()
    {
        var json = RelationDetector.Fit(Balances(500, seed: 6), Sources).ToJson().Replace("\"targets\":[0,1,2]", "\"targets\":[0,1,9]");

        Assert.Throws<InvalidDataException>(() => RelationDetector.FromJson(json));
    }
}
