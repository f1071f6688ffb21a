using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Statistical;

public class EntityRulesTests
{
    private static readonly EntityRuleOptions Options = new()
    {
        EntityColumn = "account",
        AmountColumn = "amount",
        TimestampColumn = "ts",
        MaxRecordsPerWindow = 3,
        Window = TimeSpan.FromHours(1),
    };

    private static readonly DateTime Day = new(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A: ten records of 100; B: five of 50 and five of -50 (debits and credits); C: amounts 1..80; one per day.</summary>
    private static TypedTable Training()
    {
        var rows = new List<string?[]>();
        for (var i = 0; i < 10; i++) rows.Add(Row("A", 100, Day.AddDays(i)));
        for (var i = 0; i < 10; i++) rows.Add(Row("B", i % 2 == 0 ? 50 : -50, Day.AddDays(i)));
        for (var i = 1; i <= 80; i++) rows.Add(Row("C", i, Day.AddDays(i)));
        return Table(rows);
    }

    private static string?[] Row(string? account, double? amount, DateTime? ts) =>
        [account, amount?.ToString(System.Globalization.CultureInfo.InvariantCulture), ts?.ToString("O")];

    private static TypedTable Table(IEnumerable<string?[]> rows) => TypedTable.FromRows(["account", "amount", "ts"], rows);

    [Fact]
    public void Training_keeps_each_entitys_record_count_and_mean_absolute_amount()
    {
        var rules = EntityRules.Fit(Training(), Options);

        Assert.Equal(3, rules.EntityCount);
        Assert.True(rules.TryGetProfile("B", out var b));
        Assert.Equal(new EntityProfile(10, 10, 50), b);
        Assert.False(rules.TryGetProfile("Z", out _));
    }

    [Fact]
    public void Amount_multiple_fires_above_ten_times_the_entitys_average_and_not_below()
    {
        var rules = EntityRules.Fit(Training(), Options);
        var batch = Table([
            Row("A", 1001, Day.AddDays(40)),
            Row("A", 999, Day.AddDays(41)),
            Row("B", -600, Day.AddDays(42)),
            Row("B", 499, Day.AddDays(43)),
        ]);

        var result = rules.Evaluate(batch);

        Assert.Equal([true, false, true, false], result.Flags);
        Assert.Equal([(0, EntityRules.AmountMultipleRule), (2, EntityRules.AmountMultipleRule)], result.Hits.Select(h => (h.Row, h.Rule)));
        Assert.Equal("|amount| 1001 is 10x entity 'A''s training average 100 (limit 10x)", result.Hits[0].Detail);
        Assert.Contains("12x entity 'B'", result.Hits[1].Detail);
    }

    [Fact]
    public void Velocity_fires_on_records_past_the_limit_within_the_window()
    {
        var rules = EntityRules.Fit(Training(), Options);
        var ten = Day.AddDays(50).AddHours(10);
        var batch = Table([
            Row("A", 100, ten),
            Row("A", 100, ten.AddMinutes(10)),
            Row("A", 100, ten.AddMinutes(20)),
            Row("A", 100, ten.AddMinutes(30)),           // 4th within the hour: fires
            Row("A", 100, ten.AddMinutes(80)),           // window (10:20, 11:20]: 10:30 and itself
            Row("B", 50, ten), Row("B", 50, ten.AddHours(2)), Row("B", 50, ten.AddHours(4)), Row("B", 50, ten.AddHours(6)),
        ]);

        var result = rules.Evaluate(batch);

        var hit = Assert.Single(result.Hits);
        Assert.Equal((3, EntityRules.VelocityRule), (hit.Row, hit.Rule));
        Assert.Equal("entity 'A' has 4 records within 01:00:00 up to this one (limit 3)", hit.Detail);
    }

    [Fact]
    public void Velocity_orders_records_by_time_and_leaves_out_those_exactly_one_window_earlier()
    {
        var rules = EntityRules.Fit(Training(), Options with { MaxRecordsPerWindow = 2 });
        var ten = Day.AddDays(50).AddHours(10);
        string?[][] rows = [Row("A", 100, ten.AddMinutes(30)), Row("A", 100, ten), Row("A", 100, ten.AddMinutes(60))];

        var atBoundary = rules.Evaluate(Table(rows));
        var withOneMore = rules.Evaluate(Table([.. rows, Row("A", 100, ten.AddMinutes(45))]));

        // 11:00's window is (10:00, 11:00]: 10:30 and itself.
        Assert.Empty(atBoundary.Hits);
        // In time order 10:00, 10:30, 10:45 (row 3: third within the hour), 11:00 (row 2: 10:30, 10:45, itself).
        Assert.Equal([2, 3], withOneMore.Hits.Select(h => h.Row));
    }

    [Fact]
    public void Without_a_timestamp_column_velocity_counts_the_entitys_records_in_the_batch()
    {
        var options = Options with { TimestampColumn = null, MaxRecordsPerWindow = 2 };
        var rules = EntityRules.Fit(Training(), options);
        var batch = Table([Row("A", 100, null), Row("B", 50, null), Row("A", 100, null), Row("A", 100, null)]);

        var result = rules.Evaluate(batch);

        var hit = Assert.Single(result.Hits);
        Assert.Equal((3, EntityRules.VelocityRule), (hit.Row, hit.Rule));
        Assert.Contains("3 records in the batch", hit.Detail);
    }

    [Fact]
    public void First_seen_entity_with_an_amount_above_the_training_quantile_fires()
    {
        var rules = EntityRules.Fit(Training(), Options with { FirstSeenAmountQuantile = 0.95 });
        var batch = Table([
            Row("Z", 150, Day.AddDays(60)),      // new and large
            Row("Y", 20, Day.AddDays(60)),       // new but ordinary
            Row("C", 150, Day.AddDays(60)),      // known entity: judged by its own average instead
        ]);

        var result = rules.Evaluate(batch);

        Assert.Equal(100, rules.FirstSeenAmountThreshold); // 95th percentile of |amount| in training
        var hit = Assert.Single(result.Hits);
        Assert.Equal((0, EntityRules.FirstSeenHighAmountRule), (hit.Row, hit.Rule));
        Assert.Contains("entity 'Z' was not seen in training", hit.Detail);
    }

    [Fact]
    public void Rule_scores_are_zero_for_clean_rows_and_grow_with_severity_and_with_more_rules()
    {
        var rules = EntityRules.Fit(Training(), Options with { MaxRecordsPerWindow = 1 });
        var t = Day.AddDays(70);
        var batch = Table([
            Row("A", 100, t),                    // clean
            Row("B", 510, t),                    // just past 10x
            Row("B", 50_000, t.AddDays(1)),      // 1000x: severity 1
            Row("C", 10_000, t.AddDays(2)),      // C's mean is 40.5: amount rule...
            Row("C", 10_000, t.AddDays(2)),      // ...and the same again within the hour: velocity too
        ]);

        var result = rules.Evaluate(batch);

        Assert.Equal(0f, result.Scores[0]);
        Assert.InRange(result.Scores[1], 0.5f, 0.51f);
        Assert.Equal(1f, result.Scores[2]);
        Assert.All(result.Scores, s => Assert.InRange(s, 0f, 1f));
        Assert.Equal(2, result.Hits.Count(h => h.Row == 4));
        Assert.Equal(4, result.FlaggedRows);
    }

    [Fact]
    public void Rows_without_an_entity_or_amount_are_not_judged_by_the_amount_rules()
    {
        var rules = EntityRules.Fit(Training(), Options);
        var batch = Table([Row(null, 1_000_000, Day), Row("A", null, Day), Row("Q", null, Day)]);

        var result = rules.Evaluate(batch);

        Assert.Empty(result.Hits);
        Assert.Equal([0f, 0f, 0f], result.Scores);
    }

    [Fact]
    public void Json_round_trip_gives_the_same_json_and_the_same_verdicts()
    {
        var rules = EntityRules.Fit(Training(), Options);
        var t = Day.AddDays(80);
        var batch = Table([Row("A", 5000, t), Row("Z", 1e6, t), Row("A", 1, t), Row("A", 1, t), Row("A", 1, t)]);

        var json = rules.ToJson();
        var restored = EntityRules.FromJson(json);
        var expected = rules.Evaluate(batch);
        var actual = restored.Evaluate(batch);

        Assert.Equal(json, restored.ToJson());
        Assert.Equal(rules.Options, restored.Options);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Scores, actual.Scores);
        Assert.Equal(expected.Hits, actual.Hits);
        Assert.Equal([EntityRules.AmountMultipleRule, EntityRules.FirstSeenHighAmountRule, EntityRules.VelocityRule], expected.Hits.Select(h => h.Rule));
    }

    [Fact]
    public void A_batch_without_the_entity_column_or_with_text_amounts_is_refused_naming_them()
    {
        var rules = EntityRules.Fit(Training(), Options);
        var batch = TypedTable.FromRows(["customer", "amount", "ts"], [["A", "lots", "2024-05-01T00:00:00Z"]]);

        var error = Assert.Throws<FeaturePipelineException>(() => rules.Evaluate(batch));

        Assert.Equal(
            "Column 'account' (the entity) is missing from the batch. Column 'amount' (the amount) is string in the batch, not a number.",
            error.Message);
    }
}
