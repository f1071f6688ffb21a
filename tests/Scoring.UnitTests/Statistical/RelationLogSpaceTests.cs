using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Contracts;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.UnitTests.Ensemble;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Statistical;

/// <summary>Relations that are products of columns (total = quantity x price x (1 - discount)), predicted in log space.</summary>
public sealed class RelationLogSpaceTests
{
    private static readonly double[] Discounts = [0, 0.05, 0.1, 0.15, 0.2];

    /// <summary>Orders to the cent; rows in <paramref name="broken"/> have a total 30-70 % too high.</summary>
    private static (double Quantity, double Price, double Discount, double Total)[] Orders(int rows, int seed, ISet<int>? broken = null)
    {
        var random = new Random(seed);
        var orders = new (double, double, double, double)[rows];
        for (var r = 0; r < rows; r++)
        {
            var quantity = 1.0 + random.Next(8);
            var price = Math.Round(Math.Exp(Math.Log(40) + 0.8 * Gaussian(random)), 2) + 0.5;
            var discount = Discounts[random.Next(Discounts.Length)];
            var total = Math.Round(quantity * price * (1 - discount), 2);
            if (broken?.Contains(r) == true) total = Math.Round(total * (1.3 + 0.4 * random.NextDouble()), 2);
            orders[r] = (quantity, price, discount, total);
        }
        return orders;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Robust scaling as the pipeline does it: (x - median) / IQR, with the zero it reports.
    private static readonly (double Median, double Scale)[] Scaling = [(4, 4), (40, 45), (0.1, 0.1), (120, 150)];

    private static readonly FeatureSource[] Sources =
    [
        .. new[] { "quantity", "price", "discount", "total" }.Select((name, f) =>
            new FeatureSource(name, name, FeatureEncoding.Numeric, FeatureKind.Value) { Zero = -Scaling[f].Median / Scaling[f].Scale }),
    ];

    private static FeatureMatrix Features((double Quantity, double Price, double Discount, double Total)[] orders)
    {
        var values = new float[orders.Length * 4];
        for (var r = 0; r < orders.Length; r++)
        {
            double[] row = [orders[r].Quantity, orders[r].Price, orders[r].Discount, orders[r].Total];
            for (var f = 0; f < 4; f++) values[r * 4 + f] = (float)((row[f] - Scaling[f].Median) / Scaling[f].Scale);
        }
        return new FeatureMatrix(values, orders.Length, [.. Sources.Select(s => s.Feature)]);
    }

    private static readonly HashSet<int> Broken = [17, 230, 451, 777, 1203, 1650];

    [Fact]
    public void A_total_that_is_a_product_is_predicted_in_log_space_and_a_break_of_30_percent_stands_out()
    {
        var detector = RelationDetector.Fit(Features(Orders(5000, seed: 1)), Sources);

        var scored = detector.Score(Features(Orders(2000, seed: 2, Broken)));

        Assert.Contains(detector.Targets, t => t >= 4 && detector.Space.SourceFeature(t) == 3);
        var highestNormal = scored.Scores.Where((_, r) => !Broken.Contains(r)).Max();
        Assert.All(Broken, r => Assert.True(scored.Scores[r] > 1.5 * highestNormal, $"row {r}: {scored.Scores[r]}, highest normal {highestNormal}"));
        // The logarithm's residual is explained by the column it is the logarithm of.
        Assert.All(Broken, r => Assert.Equal(3, Enumerable.Range(0, 4).MaxBy(f => scored.Contributions![r * 4 + f])));
    }

    [Fact]
    public void Without_zeros_no_logarithm_is_taken_and_the_product_stays_hidden()
    {
        var plain = Sources.Select(s => s with { Zero = null }).ToArray();
        var detector = RelationDetector.Fit(Features(Orders(5000, seed: 1)), plain);

        var scores = detector.Score(Features(Orders(2000, seed: 2, Broken))).Scores;

        Assert.Empty(detector.Space.Logs);
        Assert.All(detector.Targets, t => Assert.True(t < 4));
        var highestNormal = scores.Where((_, r) => !Broken.Contains(r)).Max();
        Assert.Contains(Broken, r => scores[r] < highestNormal);
    }

    [Fact]
    public void An_exact_linear_relation_of_positive_columns_stays_in_value_space_only()
    {
        // after = before - amount: all three positive, so each has a logarithm, yet the value fit is exact.
        var random = new Random(3);
        var values = new float[3000 * 3];
        for (var r = 0; r < 3000; r++)
        {
            var before = Math.Round(500 + random.NextDouble() * 4000, 2);
            var amount = Math.Round(5 + random.NextDouble() * 300, 2);
            values[r * 3] = (float)(before / 1000);
            values[r * 3 + 1] = (float)(amount / 1000);
            values[r * 3 + 2] = (float)((before - amount) / 1000);
        }
        FeatureSource[] sources = [.. new[] { "before", "amount", "after" }.Select(n => new FeatureSource(n, n, FeatureEncoding.Numeric, FeatureKind.Value) { Zero = 0 })];

        var detector = RelationDetector.Fit(new FeatureMatrix(values, 3000, ["before", "amount", "after"]), sources);

        Assert.Equal([0, 1, 2], detector.Targets);
        Assert.Empty(detector.Space.Logs);
        Assert.Equal(1, JsonNode.Parse(detector.ToJson())!["version"]!.GetValue<int>());
    }

    [Fact]
    public void A_detector_with_logarithms_reads_back_from_json_and_scores_identically()
    {
        var detector = RelationDetector.Fit(Features(Orders(3000, seed: 4)), Sources);
        var batch = Features(Orders(500, seed: 5, Broken));

        var json = detector.ToJson();
        var restored = RelationDetector.FromJson(json);

        Assert.Equal(3, JsonNode.Parse(json)!["version"]!.GetValue<int>());
        Assert.Equal(detector.Score(batch).Scores, restored.Score(batch).Scores);
        var damaged = JsonNode.Parse(json)!;
        damaged["logFeatures"]![0]!["feature"] = 9;
        Assert.Throws<InvalidDataException>(() => RelationDetector.FromJson(damaged.ToJsonString()));
    }

    [Fact]
    public void A_total_of_zero_or_below_in_a_batch_scores_high_and_finite()
    {
        var detector = RelationDetector.Fit(Features(Orders(3000, seed: 6)), Sources);
        var orders = Orders(300, seed: 7);
        orders[10] = orders[10] with { Total = 0 };
        orders[11] = orders[11] with { Total = -25 };

        var scores = detector.Score(Features(orders)).Scores;

        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        var highestNormal = scores.Where((_, r) => r is not (10 or 11)).Max();
        Assert.True(scores[10] > 3 * highestNormal && scores[11] > 3 * highestNormal, $"{scores[10]}, {scores[11]} against {highestNormal}");
    }

    [Fact]
    public void A_trained_model_flags_totals_that_break_the_product_and_few_clean_orders()
    {
        var (model, _) = EnsembleTrainer.Train(Table(Orders(12_000, seed: 8)), EnsembleTests.Fast);
        var batch = Table(Orders(2000, seed: 9, Broken));

        var scores = model.Score(batch);

        Assert.NotNull(model.Relations);
        Assert.NotEmpty(model.Relations!.Space.Logs);
        Assert.All(Broken, r => Assert.NotEqual(Decisions.Approve, scores.Decision(r)));
        var cleanFlagged = Enumerable.Range(0, batch.RowCount).Count(r => !Broken.Contains(r) && scores.Decision(r) != Decisions.Approve);
        Assert.True(cleanFlagged <= 0.02 * batch.RowCount, $"{cleanFlagged} clean orders flagged");
    }

    private static TypedTable Table((double Quantity, double Price, double Discount, double Total)[] orders) =>
        TypedTable.FromRows(["quantity", "price", "discount", "total"],
            orders.Select(o => new string?[]
            {
                o.Quantity.ToString(CultureInfo.InvariantCulture), o.Price.ToString("0.00", CultureInfo.InvariantCulture),
                o.Discount.ToString("0.00", CultureInfo.InvariantCulture), o.Total.ToString("0.00", CultureInfo.InvariantCulture),
            }));
}
