using Vigil.Tabular.Tables;
using Vigil.Validation.Quality;
using Vigil.Validation.Rules;

namespace Vigil.Validation.UnitTests.Quality;

public sealed class DqScoreTests
{
    private static readonly RuleContext Context = new() { ExecutionDate = new DateOnly(2024, 5, 1), KeyColumns = ["id"] };

    /// <summary>10 rows: id 9 twice (row 10), v null in rows 3 and 7 and 500 in row 5, a != b in rows 2 and 4.</summary>
    private static TypedTable Table() => TypedTable.FromRows(["id", "v", "code", "a", "b"], Enumerable.Range(1, 10).Select(i => new string?[]
    {
        (i == 10 ? 9 : i).ToString(System.Globalization.CultureInfo.InvariantCulture),
        i is 3 or 7 ? null : i == 5 ? "500" : (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        $"C-{i}",
        i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        (i is 2 or 4 ? i + 1 : i).ToString(System.Globalization.CultureInfo.InvariantCulture),
    }));

    [Fact]
    public void Without_rules_completeness_and_uniqueness_come_from_the_table_and_the_rest_are_100()
    {
        var table = TypedTable.FromRows(["id", "v"], [["1", "1"], ["2", null], ["2", "3"], ["3", null]]);
        var report = RuleEngine.Evaluate(table, [], Context);

        var dq = DqScore.Compute(report, table, ["id"]);

        Assert.Equal(75, dq.Dimensions[DqDimensions.Completeness]);  // 2 null cells of 8
        Assert.Equal(75, dq.Dimensions[DqDimensions.Uniqueness]);    // 1 row of 4 repeats an earlier key
        Assert.Equal(100, dq.Dimensions[DqDimensions.Validity]);
        Assert.Equal(100, dq.Dimensions[DqDimensions.Consistency]);
        Assert.Equal(100, dq.Dimensions[DqDimensions.Timeliness]);
        Assert.Equal(88.8, dq.Score);                                  // .25*75 + .2*75 + .25*100 + .2*100 + .1*100 = 88.75
    }

    [Fact]
    public void Dimensions_average_their_rules_pass_ratios_and_the_score_weights_them()
    {
        var table = Table();
        RuleDefinition[] rules =
        [
            new NotNullRule { Column = "v" },                        // 2 of 10 fail: 80
            new RowCountRule { Min = 100 },                          // fails: 0      -> completeness 40
            new UniqueRule { Columns = ["id"] },                     // 1 of 10: 90   -> uniqueness 90
            new RangeRule { Column = "v", Min = 0, Max = 100 },      // 1 of 8: 87.5
            new PatternRule { Column = "code", Regex = "^C-\\d+$" }, // 100          -> validity 93.75
            new ExpressionRule { Expression = "a == b" },            // 2 of 10: 80   -> consistency 80
        ];
        var report = RuleEngine.Evaluate(table, rules, Context);

        var dq = DqScore.Compute(report, table, ["id"]);

        Assert.Equal(new Dictionary<string, double>
        {
            [DqDimensions.Completeness] = 40,
            [DqDimensions.Uniqueness] = 90,
            [DqDimensions.Validity] = 93.75,
            [DqDimensions.Consistency] = 80,
            [DqDimensions.Timeliness] = 100,
        }, dq.Dimensions);
        Assert.Equal(77.4, dq.Score);  // .25*40 + .2*90 + .25*93.75 + .2*80 + .1*100 = 77.4375
        Assert.Same(DqWeights.Default, dq.Weights);
    }

    [Fact]
    public void A_reconciliation_score_is_averaged_into_consistency_as_one_more_term()
    {
        var table = Table();
        var withExpression = RuleEngine.Evaluate(table, [new ExpressionRule { Expression = "a == b" }], Context);
        var withoutRules = RuleEngine.Evaluate(table, [], Context);

        var both = DqScore.Compute(withExpression, table, ["id"], reconciliationConsistency: 60);
        var alone = DqScore.Compute(withoutRules, table, ["id"], reconciliationConsistency: 60);

        Assert.Equal(70, both.Dimensions[DqDimensions.Consistency]);
        Assert.Equal(60, alone.Dimensions[DqDimensions.Consistency]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DqScore.Compute(withoutRules, table, ["id"], reconciliationConsistency: 120));
    }

    [Fact]
    public void Weights_are_normalised_by_their_sum()
    {
        var table = Table();
        var report = RuleEngine.Evaluate(table, [new RangeRule { Column = "v", Min = 0, Max = 100 }], Context);

        var validityOnly = DqScore.Compute(report, table, ["id"], new DqWeights { Completeness = 0, Uniqueness = 0, Validity = 3, Consistency = 0, Timeliness = 0 });
        var equal = DqScore.Compute(report, table, ["id"], new DqWeights { Completeness = 1, Uniqueness = 1, Validity = 1, Consistency = 1, Timeliness = 1 });

        Assert.Equal(87.5, validityOnly.Score);
        Assert.Equal(94.7, equal.Score);  // (96 null cells fallback + 90 + 87.5 + 100 + 100) / 5
    }

    [Fact]
    public void Negative_or_all_zero_weights_are_rejected()
    {
        var table = Table();
        var report = RuleEngine.Evaluate(table, [], Context);

        Assert.Throws<ArgumentException>(() => DqScore.Compute(report, table, [], new DqWeights { Validity = -1 }));
        Assert.Throws<ArgumentException>(() => DqScore.Compute(report, table, [],
            new DqWeights { Completeness = 0, Uniqueness = 0, Validity = 0, Consistency = 0, Timeliness = 0 }));
    }

    [Fact]
    public void A_rule_that_could_not_run_scores_0_and_one_with_nothing_to_check_scores_100()
    {
        var table = TypedTable.FromRows(["id", "v"], [["1", null], ["2", null]]);
        var report = RuleEngine.Evaluate(table,
            [new RangeRule { Column = "v", Min = 0 }, new PatternRule { Column = "missing", Regex = "x" }, new FreshnessRule { Column = "v", MaxAgeHours = 1 }], Context);

        var dq = DqScore.Compute(report, table, ["id"]);

        Assert.Equal(50, dq.Dimensions[DqDimensions.Validity]);     // range: nothing to check (100); pattern: missing column (0)
        Assert.Equal(100, dq.Dimensions[DqDimensions.Timeliness]);
    }

    [Fact]
    public void Uniqueness_without_key_columns_is_100_and_without_rules_counts_rows_repeating_a_key()
    {
        var table = TypedTable.FromRows(["a", "b"], [["1", "x"], ["1", "x"], ["1", "y"], ["1", "x"]]);
        var report = RuleEngine.Evaluate(table, [], Context);

        Assert.Equal(100, DqScore.Compute(report, table, []).Dimensions[DqDimensions.Uniqueness]);
        Assert.Equal(50, DqScore.Compute(report, table, ["a", "b"]).Dimensions[DqDimensions.Uniqueness]);
        Assert.Equal(25, DqScore.Compute(report, table, ["a"]).Dimensions[DqDimensions.Uniqueness]);
    }

    [Fact]
    public void The_formula_is_returned_with_the_weights_filled_in()
    {
        var table = Table();

        var dq = DqScore.Compute(RuleEngine.Evaluate(table, [], Context), table, ["id"]);

        Assert.StartsWith("score = (wc*completeness + wu*uniqueness + wv*validity + wn*consistency + wt*timeliness) / (wc + wu + wv + wn + wt), " +
            "weights wc=0.25, wu=0.2, wv=0.25, wn=0.2, wt=0.1, rounded to 1 decimal.", dq.Formula);
        Assert.Contains("completeness = not_null, row_count", dq.Formula);
    }

    [Fact]
    public void Each_rule_kind_maps_to_its_dimension()
    {
        Assert.Equal(DqDimensions.Completeness, DqDimensions.Of(RuleKind.NotNull));
        Assert.Equal(DqDimensions.Completeness, DqDimensions.Of(RuleKind.RowCount));
        Assert.Equal(DqDimensions.Uniqueness, DqDimensions.Of(RuleKind.Unique));
        Assert.All([RuleKind.Range, RuleKind.Pattern, RuleKind.AllowedValues, RuleKind.MaxLength, RuleKind.Type],
            kind => Assert.Equal(DqDimensions.Validity, DqDimensions.Of(kind)));
        Assert.Equal(DqDimensions.Consistency, DqDimensions.Of(RuleKind.Expression));
        Assert.Equal(DqDimensions.Timeliness, DqDimensions.Of(RuleKind.Freshness));
    }

    [Fact]
    public void One_failing_row_in_a_thousand_still_lowers_the_score_below_100()
    {
        var table = TypedTable.FromRows(["id", "v"], Enumerable.Range(1, 1000).Select(i => new string?[]
        {
            i.ToString(System.Globalization.CultureInfo.InvariantCulture), i == 500 ? null : "x",
        }));
        var report = RuleEngine.Evaluate(table, [new NotNullRule { Column = "v" }], Context);

        var dq = DqScore.Compute(report, table, ["id"]);

        Assert.False(report.Results[0].Passed);
        Assert.Equal(DqScore.FailedRuleCeiling, dq.Dimensions[DqDimensions.Completeness]); // 99.9 capped at 90
        Assert.Equal(97.5, dq.Score);                                                    // 100 - .25 * 10
    }

    [Fact]
    public void A_failed_rule_among_many_passing_ones_never_reads_100()
    {
        var table = TypedTable.FromRows(["id", "v"], Enumerable.Range(1, 1000).Select(i => new string?[]
        {
            i.ToString(System.Globalization.CultureInfo.InvariantCulture), (i == 500 ? 1000 : i).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        RuleDefinition[] rules =
        [
            .. Enumerable.Range(0, 80).Select(n => new RangeRule { Name = $"wide_{n}", Column = "v", Min = 0, Max = 10_000 }),
            new RangeRule { Name = "narrow", Column = "v", Min = 0, Max = 999 },
        ];
        var report = RuleEngine.Evaluate(table, rules, Context);

        var dq = DqScore.Compute(report, table, ["id"]);

        Assert.Equal(1, report.Results.Count(r => !r.Passed));
        Assert.Equal(DqScore.MaxWithFailedRule, dq.Score); // 100 - .25 * 10 / 81 = 99.97 would round to 100.0
    }
}
