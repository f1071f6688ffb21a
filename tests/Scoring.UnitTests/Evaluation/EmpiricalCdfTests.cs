using Vigil.Scoring.Evaluation;

namespace Vigil.Scoring.UnitTests.Evaluation;

public class EmpiricalCdfTests
{
    [Fact]
    public void Cdf_is_the_share_of_fitted_scores_at_or_below_a_score_linear_between_them()
    {
        var cdf = EmpiricalCdf.Fit([3f, 1f, 4f, 2f]);

        Assert.Equal(0.0, cdf.Cdf(0.5f));
        Assert.Equal(0.25, cdf.Cdf(1f));
        Assert.Equal(0.625, cdf.Cdf(2.5f), 12);
        Assert.Equal(1.0, cdf.Cdf(4f));
        Assert.Equal(1.0, cdf.Cdf(1000f));
    }

    [Fact]
    public void Sixty_scores_get_a_heavy_tail_so_evidence_grows_far_beyond_the_largest()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 60).Select(_ => (float)Math.Abs(random.NextDouble() * 3)).ToArray();
        var largest = scores.Max();

        var cdf = EmpiricalCdf.Fit(scores);

        Assert.NotNull(cdf.Tail);
        Assert.Equal(1.0, cdf.Tail!.Shape);
        var justBeyond = cdf.Evidence(largest * 1.01f);
        var farBeyond = cdf.Evidence(largest * 100);
        Assert.InRange(justBeyond, 2, Math.Log(61) + 0.5);
        Assert.True(farBeyond > justBeyond + 3, $"{farBeyond} against {justBeyond}");
    }

    [Fact]
    public void A_small_sample_mostly_of_zeros_still_gets_a_tail()
    {
        // A detector of exact relations: most held-out records score 0, a few show float rounding.
        float[] scores = [.. Enumerable.Repeat(0f, 52), 0.3f, 0.5f, 0.6f, 0.9f, 1.1f, 1.4f, 2f, 2.5f];

        var cdf = EmpiricalCdf.Fit(scores);

        Assert.NotNull(cdf.Tail);
        Assert.True(cdf.Evidence(1e6f) > 10, $"{cdf.Evidence(1e6f)}");
    }

    [Fact]
    public void Tied_scores_are_one_knot_with_their_whole_share()
    {
        var cdf = EmpiricalCdf.Fit([1f, 1f, 1f, 2f]);

        Assert.Equal([1f, 2f], cdf.Knots);
        Assert.Equal(0.75, cdf.Cdf(1f));
    }

    [Fact]
    public void Many_distinct_scores_are_kept_as_at_most_max_knots_close_to_the_exact_cdf()
    {
        var scores = Enumerable.Range(0, 10_000).Select(i => (float)Math.Sqrt(i)).ToArray();

        var cdf = EmpiricalCdf.Fit(scores, maxKnots: 101);

        Assert.Equal(101, cdf.Knots.Count);
        Assert.Equal(0f, cdf.Knots[0]);
        Assert.Equal(scores[^1], cdf.Knots[^1]);
        foreach (var i in new[] { 17, 2500, 5003, 9998 })
            Assert.Equal((i + 1) / 10_000.0, cdf.Cdf(scores[i]), 2);
    }

    [Fact]
    public void Cdf_never_decreases_and_stays_within_zero_and_one()
    {
        var random = new Random(3);
        var cdf = EmpiricalCdf.Fit([.. Enumerable.Range(0, 5000).Select(_ => (float)random.NextDouble())], maxKnots: 64);

        var previous = 0.0;
        for (var x = -0.1f; x < 1.1f; x += 0.001f)
        {
            var p = cdf.Cdf(x);
            Assert.InRange(p, previous, 1.0);
            previous = p;
        }
    }

    [Fact]
    public void Quantile_inverts_the_cdf()
    {
        var cdf = EmpiricalCdf.Fit([1f, 2f, 3f, 4f]);

        Assert.Equal(2.5f, cdf.Quantile(0.625), 5);
        Assert.Equal(4f, cdf.Quantile(1));
        Assert.Equal(1f, cdf.Quantile(0.1));
    }

    [Fact]
    public void Json_round_trip_gives_the_same_json_and_the_same_values()
    {
        var random = new Random(4);
        var cdf = EmpiricalCdf.Fit([.. Enumerable.Range(0, 3000).Select(_ => (float)(random.NextDouble() * 7))], maxKnots: 200);

        var json = cdf.ToJson();
        var restored = EmpiricalCdf.FromJson(json);

        Assert.Equal(json, restored.ToJson());
        Assert.Equal(cdf.Count, restored.Count);
        for (var x = -1f; x < 8f; x += 0.01f) Assert.Equal(cdf.Cdf(x), restored.Cdf(x));
    }

    [Fact]
    public void Fitting_on_no_scores_or_non_finite_scores_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EmpiricalCdf.Fit([]));
        Assert.Throws<ArgumentException>(() => EmpiricalCdf.Fit([1f, float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => EmpiricalCdf.Fit([1f]).Cdf(float.NaN));
    }

    [Fact]
    public void Stored_knots_out_of_order_are_rejected()
    {
        var json = EmpiricalCdf.Fit([1f, 2f, 3f]).ToJson().Replace("[1,2,3]", "[1,3,2]");

        Assert.Throws<InvalidDataException>(() => EmpiricalCdf.FromJson(json));
    }

    [Fact]
    public void The_bucketed_lookup_gives_what_a_scan_of_the_knots_gives()
    {
        var random = new Random(11);
        // Clustered scores: most near 0, a long sparse tail, so buckets hold very different numbers of knots.
        var cdf = EmpiricalCdf.Fit([.. Enumerable.Range(0, 20_000).Select(_ => (float)Math.Pow(random.NextDouble(), 6) * 1000)], maxKnots: 1024);
        var knots = cdf.Knots;

        foreach (var score in Enumerable.Range(0, 20_000).Select(_ => (float)(Math.Pow(random.NextDouble(), 4) * 1100)).Concat(knots))
        {
            double expected;
            if (score < knots[0]) expected = 0;
            else if (score >= knots[^1]) expected = 1;
            else
            {
                var upper = 0;
                while (knots[upper] <= score) upper++;
                expected = knots[upper - 1] == score ? cdf.Shares[upper - 1]
                    : cdf.Shares[upper - 1] + ((double)score - knots[upper - 1]) / ((double)knots[upper] - knots[upper - 1]) * (cdf.Shares[upper] - cdf.Shares[upper - 1]);
            }
            Assert.Equal(expected, cdf.Cdf(score));
        }
    }

    [Fact]
    public void A_discrete_detector_s_score_shared_by_many_normal_records_is_weak_evidence_however_high_it_ranks()
    {
        // 90% score 0, 9% score 1, 1% score 2: the largest score is still 1 record in 100, not beyond every record.
        var scores = Enumerable.Range(0, 1000).Select(i => i < 900 ? 0f : i < 990 ? 1f : 2f).ToArray();

        var discrete = EmpiricalCdf.Fit(scores, discrete: true);
        var continuous = EmpiricalCdf.Fit(scores);

        Assert.Equal(-Math.Log(0.01), discrete.Evidence(2), 6);
        Assert.Equal(-Math.Log(0.10), discrete.Evidence(1), 6);
        Assert.Equal(-Math.Log(1.0 / 1001), discrete.Evidence(3), 6);
        Assert.True(continuous.Evidence(2) > discrete.Evidence(2) + 2, "a continuous CDF treats the largest score as beyond every record");
        Assert.Equal(discrete.Evidence(2), EmpiricalCdf.FromJson(discrete.ToJson()).Evidence(2), 9);
    }
}
