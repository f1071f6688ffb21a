using Vigil.Scoring.Evaluation;

namespace Vigil.Scoring.UnitTests.Evaluation;

public class TailEvidenceTests
{
    private static float[] Exponential(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)-Math.Log(1 - random.NextDouble()))];
    }

    [Fact]
    public void Evidence_keeps_growing_beyond_the_largest_fitted_score()
    {
        var scores = Exponential(10_000, seed: 1);
        var cdf = EmpiricalCdf.Fit(scores);
        var largest = scores.Max();

        Assert.NotNull(cdf.Tail);
        Assert.Equal(1.0, cdf.Cdf(largest + 5));
        Assert.True(cdf.Evidence(largest + 5) > cdf.Evidence(largest + 1) + 1, "an empirical CDF saturates; the tail must not");
        Assert.True(cdf.Evidence(largest + 50) > cdf.Evidence(largest + 5));
    }

    [Fact]
    public void An_exponential_sample_gets_an_exponential_tail_with_its_own_scale()
    {
        var cdf = EmpiricalCdf.Fit(Exponential(100_000, seed: 2));

        Assert.InRange(cdf.Tail!.Shape, 0, 0.1);
        Assert.InRange(cdf.Tail.Scale, 0.85, 1.15);
        // P(score > 15) of a unit exponential is e^-15: evidence 15 nats.
        Assert.InRange(cdf.Evidence(15f), 14, 16);
    }

    [Fact]
    public void Evidence_never_decreases_across_the_join_of_the_empirical_part_and_the_tail()
    {
        var cdf = EmpiricalCdf.Fit(Exponential(5_000, seed: 3), maxKnots: 64);

        var previous = 0.0;
        for (var x = 0f; x < 30f; x += 0.01f)
        {
            var evidence = cdf.Evidence(x);
            Assert.True(evidence >= previous, $"evidence fell from {previous} to {evidence} at {x}");
            previous = evidence;
        }
    }

    [Fact]
    public void A_heavy_tail_gets_a_positive_shape_and_so_less_evidence_than_an_exponential_would_give()
    {
        var random = new Random(4);
        // Pareto with tail index 3: shape 1/3.
        var scores = Enumerable.Range(0, 50_000).Select(_ => (float)Math.Pow(1 - random.NextDouble(), -1.0 / 3)).ToArray();

        var tail = EmpiricalCdf.Fit(scores).Tail!;

        Assert.InRange(tail.Shape, 0.2, ParetoTail.MaxShape);
    }

    [Fact]
    public void A_small_sample_gets_the_heavy_tail_over_its_top_fifth_with_the_median_excess_as_scale()
    {
        var sorted = Exponential(120, seed: 6);
        Array.Sort(sorted);

        var tail = ParetoTail.FitHeavy(sorted)!;

        Assert.Equal(ParetoTail.HeavyShape, tail.Shape);
        Assert.Equal(sorted[120 - 24 - 1], tail.Start);
        // Shape 1: the median excess is Scale x (2 - 1) / 1.
        var excesses = sorted[^24..].Select(x => (double)x - tail.Start).Order().ToArray();
        Assert.Equal(excesses[11], tail.Scale, 6);
        // Heavier than the sample's own exponential tail: 40 units out is far less than 40 nats, yet still grows.
        Assert.InRange(tail.Evidence(tail.Start + 40), 4, 8);
        Assert.True(tail.Evidence(tail.Start + 400) > tail.Evidence(tail.Start + 40) + 2);
    }

    [Theory]
    [InlineData(49)]
    [InlineData(10)]
    public void Fewer_than_fifty_scores_get_no_heavy_tail(int count)
    {
        var sorted = Exponential(count, seed: 7);
        Array.Sort(sorted);

        Assert.Null(ParetoTail.FitHeavy(sorted));
    }

    [Fact]
    public void Twenty_scores_get_no_tail_and_evidence_at_most_what_their_count_can_tell()
    {
        var cdf = EmpiricalCdf.Fit(Exponential(20, seed: 5));

        Assert.Null(cdf.Tail);
        Assert.Equal(Math.Log(21), cdf.Evidence(1000f), 9);
    }

    [Fact]
    public void A_hundred_scores_get_a_heavy_tail_over_their_top_fifth()
    {
        var cdf = EmpiricalCdf.Fit(Exponential(100, seed: 5));

        Assert.Equal((0.2, ParetoTail.HeavyShape), (cdf.Tail!.Share, cdf.Tail.Shape));
        Assert.True(cdf.Evidence(1000f) > Math.Log(101) + 2, $"{cdf.Evidence(1000f)}");
    }

    [Fact]
    public void The_tail_survives_a_json_round_trip_and_documents_without_one_still_read()
    {
        var cdf = EmpiricalCdf.Fit(Exponential(10_000, seed: 6));

        var restored = EmpiricalCdf.FromJson(cdf.ToJson());
        var withoutTail = EmpiricalCdf.FromJson(EmpiricalCdf.Fit([1f, 2f, 3f]).ToJson());

        Assert.Equal(cdf.Tail, restored.Tail);
        Assert.Equal(cdf.Evidence(40f), restored.Evidence(40f));
        Assert.Null(withoutTail.Tail);
    }

    [Fact]
    public void A_stored_tail_with_a_negative_scale_is_rejected()
    {
        var json = EmpiricalCdf.Fit(Exponential(10_000, seed: 7)).ToJson();
        var scale = System.Text.RegularExpressions.Regex.Match(json, "\"scale\":([0-9.eE+-]+)").Groups[1].Value;

        Assert.Throws<InvalidDataException>(() => EmpiricalCdf.FromJson(json.Replace($"\"scale\":{scale}", "\"scale\":-1")));
    }
}
