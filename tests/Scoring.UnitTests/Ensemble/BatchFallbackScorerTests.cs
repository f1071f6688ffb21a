using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

public sealed class BatchFallbackScorerTests
{
    private static readonly string[] Keys = ["id"];

    /// <summary>Skewed money (log-normal), a heavy-tailed distance, a few-valued integer and a categorical, all ordinary.</summary>
    private static TypedTable CleanSkewed(int rows, int seed)
    {
        var random = new Random(seed);
        string[] channels = ["pos", "online", "atm", "transfer"];
        var lines = Enumerable.Range(0, rows).Select(i =>
        {
            var amount = Math.Exp(3 + 1.2 * Normal(random));
            var distance = Math.Pow(random.NextDouble(), -1.5);
            return new[]
            {
                $"t{i}", amount.ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
                distance.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), random.Next(4).ToString(System.Globalization.CultureInfo.InvariantCulture),
                channels[Math.Min(3, (int)(-Math.Log(random.NextDouble()) * 1.2))],
            };
        });
        return TypedTable.FromRows(["id", "amount", "distance_km", "items", "channel"], lines);
    }

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static (double Flagged, double Blocked) Shares(EnsembleScores scores, int rows) =>
        ((double)Enumerable.Range(0, rows).Count(r => scores.Decision(r) != Decisions.Approve) / rows,
         (double)Enumerable.Range(0, rows).Count(r => scores.Decision(r) == Decisions.Block) / rows);

    [Fact]
    public void Clean_skewed_and_categorical_columns_stay_within_the_false_alarm_budget()
    {
        var (flagged, blocked) = Shares(BatchFallbackScorer.Score(CleanSkewed(20_000, seed: 3), Keys).Scores, 20_000);

        Assert.InRange(flagged, 0, 0.015);
        Assert.InRange(blocked, 0, 0.002);
    }

    [Fact]
    public void A_value_far_beyond_the_rest_is_blocked_and_explained_by_its_column()
    {
        var table = CleanSkewed(5_000, seed: 4);
        var amount = table["amount"];
        var values = Enumerable.Range(0, table.RowCount).Select(r => r == 1234 ? 5_000_000 : amount.GetDouble(r)).ToArray();
        var changed = new TypedTable([.. table.Columns.Select(c => c.Name == "amount" ? Column.Decimals("amount", values, new bool[values.Length]) : c)], table.RowCount);

        var result = BatchFallbackScorer.Score(changed, Keys);

        Assert.Equal(Decisions.Block, result.Scores.Decision(1234));
        Assert.Equal("amount", result.Scores.TopFeatures(1234)[0]);
        Assert.Contains("no model", result.Basis);
    }

    [Fact]
    public void A_few_amounts_forty_times_too_large_are_all_flagged_in_a_small_batch()
    {
        var random = new Random(1);
        int[] extreme = [101, 202, 303, 404, 505];
        string[] tiers = ["basic", "plus", "premium"];
        var rows = Enumerable.Range(0, 1500).Select(i =>
        {
            var tier = random.Next(3);
            var amount = Math.Round((50 + 100 * tier) * (0.8 + 0.4 * random.NextDouble()), 2);
            var fee = Math.Round(amount * 0.02 + random.NextDouble() * 0.2, 2);
            var items = 1 + random.Next(5);
            if (extreme.Contains(i)) amount *= 40;
            return new[] { $"p{i}", tiers[tier], Text(amount), Text(fee), Text(items), random.Next(2) == 0 ? "web" : "app" };
        });

        var scores = BatchFallbackScorer.Score(TypedTable.FromRows(["id", "tier", "amount", "fee", "items", "channel"], rows), Keys).Scores;

        Assert.All(extreme, row => Assert.True(scores.Decision(row) != Decisions.Approve, $"row {row}: risk {scores.Risk[row]}, evidence {scores.Evidence[row]}"));
        Assert.True(Enumerable.Range(0, 1500).Count(r => scores.Decision(r) != Decisions.Approve) <= 5 + 15, "at most 1% false alarms besides them");
    }

    [Fact]
    public void Small_clean_batches_of_skewed_and_heavy_tailed_columns_stay_within_the_false_alarm_budget()
    {
        // Batches too small to estimate a tail's shape (50 to 140 rows): the largest money amount or distance of each
        // must not be taken for an outlier. Forty batches, so that the shares mean something.
        var sizes = Enumerable.Range(0, 40).Select(i => 50 + i * 90 / 39).ToList();
        var (flagged, blocked, total) = (0.0, 0.0, 0);
        for (var i = 0; i < sizes.Count; i++)
        {
            var (f, b) = Shares(BatchFallbackScorer.Score(CleanSkewed(sizes[i], seed: 100 + i), Keys).Scores, sizes[i]);
            flagged += f * sizes[i];
            blocked += b * sizes[i];
            total += sizes[i];
        }

        Assert.InRange(flagged / total, 0, 0.015);
        Assert.InRange(blocked / total, 0, 0.002);
    }

    [Fact]
    public void One_amount_two_hundred_times_the_rest_is_flagged_in_a_batch_of_120_rows()
    {
        // The quickstart's first batch: 120 ordinary transactions and one of 48,000 among amounts of 20-250.
        var random = new Random(7);
        var rows = Enumerable.Range(0, 120).Select(i =>
        {
            var amount = i == 90 ? 48_000 : Math.Round(20 + 230 * random.NextDouble(), 2);
            var before = Math.Round(500 + 2_000 * random.NextDouble(), 2);
            return new[] { $"t{i}", $"a-{random.Next(15)}", Text(amount), Text(before), Text(Math.Round(before - amount, 2)), random.Next(3) == 0 ? "atm" : "card" };
        });

        var scores = BatchFallbackScorer.Score(TypedTable.FromRows(["id", "account_id", "amount", "balance_before", "balance_after", "channel"], rows), Keys).Scores;

        Assert.NotEqual(Decisions.Approve, scores.Decision(90));
        Assert.Contains(scores.TopFeatures(90)[0], new[] { "amount", "balance_after" });
        Assert.Equal(1, Enumerable.Range(0, 120).Count(r => scores.Decision(r) != Decisions.Approve));
    }

    [Fact]
    public void A_batch_of_only_key_columns_fails_with_a_reason()
    {
        var table = TypedTable.FromRows(["id"], Enumerable.Range(0, 50).Select(i => new[] { $"k{i}" }));

        var error = Assert.Throws<FeaturePipelineException>(() => BatchFallbackScorer.Score(table, Keys));

        Assert.Contains("No column", error.Message);
    }

    [Fact]
    public void A_single_numeric_column_is_scored_and_its_outlier_found()
    {
        var values = Enumerable.Range(0, 500).Select(i => i == 42 ? 1e6 : 100 + (i * 37 % 50)).ToArray();

        var scores = BatchFallbackScorer.Score(Features.Tables.Of(Features.Tables.Decimals("amount", values)), []).Scores;

        Assert.Equal(42, Enumerable.Range(0, 500).MaxBy(r => scores.Risk[r]));
        Assert.NotEqual(Decisions.Approve, scores.Decision(42));
    }

    [Fact]
    public void All_constant_columns_are_approved_unjudged_and_the_run_says_why()
    {
        var table = TypedTable.FromRows(["id", "a", "b"], Enumerable.Range(0, 100).Select(i => new[] { $"k{i}", "5", "x" }));

        var result = BatchFallbackScorer.Score(table, Keys);

        Assert.All(result.Scores.Risk, r => Assert.Equal(0, r));
        Assert.Contains("no column varies", result.Basis);
    }

    [Fact]
    public void Few_distinct_integer_columns_raise_no_false_alarms()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 10_000).Select(i => new[] { $"k{i}", (random.Next(10) < 9 ? 0 : 1 + random.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(5).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var (flagged, blocked) = Shares(BatchFallbackScorer.Score(TypedTable.FromRows(["id", "a", "b"], rows), Keys).Scores, 10_000);

        Assert.InRange(flagged, 0, 0.015);
        Assert.Equal(0, blocked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Zero_or_one_row_is_approved_unjudged_and_the_run_says_why(int rows)
    {
        var table = TypedTable.FromRows(["id", "amount"], Enumerable.Range(0, rows).Select(i => new[] { $"k{i}", "12.5" }));

        var result = BatchFallbackScorer.Score(table, Keys);

        Assert.Equal(rows, result.Scores.Risk.Count);
        Assert.Contains("too few to score", result.Basis);
    }

    [Fact]
    public void NaN_and_infinite_values_are_scored_as_missing_without_an_exception()
    {
        var values = Enumerable.Range(0, 400).Select(i => i switch { 3 => double.NaN, 4 => double.PositiveInfinity, 5 => double.NegativeInfinity, _ => 10 + i % 7 }).ToArray();

        var scores = BatchFallbackScorer.Score(Features.Tables.Of(Features.Tables.Decimals("amount", values)), []).Scores;

        Assert.All(scores.Risk, r => Assert.True(double.IsFinite(r)));
        Assert.Equal(400, scores.Risk.Count);
    }
}
