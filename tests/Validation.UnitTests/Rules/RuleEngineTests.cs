using Vigil.Tabular.Tables;
using Vigil.Validation.Rules;

namespace Vigil.Validation.UnitTests.Rules;

public sealed class RuleEngineTests
{
    private static readonly Lazy<(TypedTable Table, RuleReport Report)> Evaluated = new(() =>
    {
        var table = DefectTable.Build();
        return (table, RuleEngine.Evaluate(table, RuleSet.Parse(DefectTable.RulesJson), DefectTable.Context(previousRowCount: 950)));
    });

    private static RuleReport Report => Evaluated.Value.Report;

    private static RuleResult Result(string name) => Report.Results.Single(r => r.Name == name);

    public static TheoryData<string, int[]> InjectedDefects => new()
    {
        { "unique:txn_id", DefectTable.DuplicateIds },
        { "not_null:customer", DefectTable.NullCustomers },
        { "account_format", DefectTable.BadAccounts },
        { "amount_range", DefectTable.AmountsOutOfRange },
        { "allowed_values:currency", DefectTable.BadCurrencies },
        { "max_length:note", DefectTable.LongNotes },
        { "type:qty", DefectTable.NonIntegerQuantities },
        { "freshness:booked_at", [.. DefectTable.StaleBookings.Concat(DefectTable.FutureBookings).Order()] },
        { "balance", DefectTable.BrokenBalances },
    };

    [Theory]
    [MemberData(nameof(InjectedDefects))]
    public void Each_rule_kind_fails_exactly_the_rows_with_injected_defects(string rule, int[] defectRows)
    {
        var result = Result(rule);

        Assert.False(result.Passed);
        Assert.Equal(defectRows.Length, result.FailingRows);
        Assert.Equal(defectRows.Select(row => (long)row + 1), result.Samples.Select(s => s.Row));
    }

    [Fact]
    public void Report_has_one_result_per_rule_in_rule_order_and_fails_on_error_rules()
    {
        Assert.Equal(
            ["unique:txn_id", "not_null:customer", "account_format", "amount_range", "allowed_values:currency", "max_length:note", "type:qty",
             "freshness:booked_at", "row_count", "balance"],
            Report.Results.Select(r => r.Name));
        Assert.False(Report.Passed);
        Assert.Equal(8, Report.FailedErrors);
        Assert.Equal(1, Report.FailedWarnings);
        Assert.Equal(DefectTable.Rows, Report.RowCount);
    }

    [Fact]
    public void Samples_carry_the_key_values_and_the_rule_column_values_as_text()
    {
        var duplicate = Result("unique:txn_id").Samples[0];
        Assert.Equal(101, duplicate.Row);
        Assert.Equal("51", duplicate.Keys["txn_id"]);
        Assert.Equal("51", duplicate.Values["txn_id"]);

        var amount = Result("amount_range").Samples[0];
        Assert.Equal(new Dictionary<string, string?> { ["txn_id"] = "12" }, amount.Keys);
        Assert.Equal(new Dictionary<string, string?> { ["amount"] = "-5" }, amount.Values);

        var missing = Result("not_null:customer").Samples[0];
        Assert.Equal("4", missing.Keys["txn_id"]);
        Assert.Null(missing.Values["customer"]);

        var balance = Result("balance").Samples[0];
        Assert.Equal(["balance_after", "balance_before", "amount"], balance.Values.Keys);
        Assert.Equal("1013", balance.Values["balance_before"]);
        Assert.Equal("23.25", balance.Values["amount"]);
        Assert.Equal("990.75", balance.Values["balance_after"]);
    }

    [Fact]
    public void Results_state_kind_columns_severity_and_checked_rows()
    {
        var balance = Result("balance");
        Assert.Equal(RuleKind.Expression, balance.Kind);
        Assert.Equal(RuleSeverity.Warning, balance.Severity);
        Assert.Equal(["balance_after", "balance_before", "amount"], balance.Columns);
        Assert.Equal(DefectTable.Rows - 1, balance.CheckedRows); // the row with a null balance_before is not evaluated

        var customer = Result("not_null:customer");
        Assert.Equal(DefectTable.Rows, customer.CheckedRows);
        Assert.Equal(["customer"], customer.Columns);
        Assert.Equal(DefectTable.Rows, Result("account_format").CheckedRows);
    }

    [Theory]
    [InlineData("unique:txn_id", "3 rows repeat the txn_id of an earlier row")]
    [InlineData("not_null:customer", "4 rows have no value in customer")]
    [InlineData("account_format", "4 rows have account not matching ^ACC-\\d{4}$")]
    [InlineData("amount_range", "5 rows have amount outside [0, 10000]")]
    [InlineData("allowed_values:currency", "2 rows have currency not in {EUR, USD, GBP}")]
    [InlineData("max_length:note", "2 rows have note longer than 20 characters")]
    [InlineData("type:qty", "3 rows have qty values that are not integer")]
    [InlineData("freshness:booked_at",
        "8 rows have booked_at outside [2024-04-30T00:00:00Z, 2024-05-02T00:00:00Z]: 7 older than 2024-04-30T00:00:00Z (48 h before the end of the execution date), 1 later than 2024-05-02T00:00:00Z")]
    [InlineData("row_count", "The batch has 1000 rows; 5.26 % more than the previous run's 950")]
    [InlineData("balance", "6 rows break balance_after == balance_before - amount (tolerance 0.01); 1 row was not evaluated (a null operand)")]
    public void Messages_say_how_many_rows_break_what(string rule, string message)
    {
        Assert.Equal(message, Result(rule).Message);
    }

    [Fact]
    public void Row_count_fails_when_the_change_from_the_previous_run_exceeds_the_ratio()
    {
        var rules = RuleSet.Parse("""[{ "kind": "row_count", "maxChangeRatio": 0.1 }]""");

        var shrunk = RuleEngine.Evaluate(Evaluated.Value.Table, rules, DefectTable.Context(previousRowCount: 1200)).Results[0];
        var steady = RuleEngine.Evaluate(Evaluated.Value.Table, rules, DefectTable.Context(previousRowCount: 1100)).Results[0];
        var first = RuleEngine.Evaluate(Evaluated.Value.Table, rules, DefectTable.Context(previousRowCount: null)).Results[0];

        Assert.False(shrunk.Passed);
        Assert.Equal("The batch has 1000 rows; 16.67 % fewer than the previous run's 1200: a change of at most 10 % allowed", shrunk.Message);
        Assert.Equal(0, shrunk.FailingRows);
        Assert.True(steady.Passed);
        Assert.True(first.Passed);
        Assert.Equal("The batch has 1000 rows; no previous run to compare with", first.Message);
    }

    [Fact]
    public void Row_count_fails_outside_its_absolute_bounds()
    {
        var table = Evaluated.Value.Table;
        var tooFew = RuleEngine.Evaluate(table, [new RowCountRule { Min = 1001 }], DefectTable.Context()).Results[0];
        var tooMany = RuleEngine.Evaluate(table, [new RowCountRule { Max = 999 }], DefectTable.Context()).Results[0];
        var within = RuleEngine.Evaluate(table, [new RowCountRule { Min = 1000, Max = 1000 }], DefectTable.Context()).Results[0];

        Assert.Equal("The batch has 1000 rows: at least 1001 expected", tooFew.Message);
        Assert.False(tooMany.Passed);
        Assert.True(within.Passed);
    }

    [Fact]
    public void A_rule_on_a_column_the_batch_lacks_fails_with_a_message_and_the_others_still_run()
    {
        var rules = new RuleDefinition[]
        {
            new RangeRule { Column = "amount_eur", Min = 0 },
            new UniqueRule { Columns = ["txn_id", "branch", "desk"] },
            new NotNullRule { Column = "customer" },
        };

        var report = RuleEngine.Evaluate(Evaluated.Value.Table, rules, DefectTable.Context());

        Assert.False(report.Results[0].Passed);
        Assert.Equal("Column 'amount_eur' is not in the batch", report.Results[0].Message);
        Assert.Equal("Columns 'branch', 'desk' are not in the batch", report.Results[1].Message);
        Assert.Equal(0, report.Results[0].FailingRows);
        Assert.Equal(4, report.Results[2].FailingRows);
    }

    [Fact]
    public void Failing_warnings_alone_leave_the_report_passed()
    {
        var rules = new RuleDefinition[]
        {
            new NotNullRule { Column = "customer", Severity = RuleSeverity.Warning },
            new NotNullRule { Column = "txn_id" },
        };

        var report = RuleEngine.Evaluate(Evaluated.Value.Table, rules, DefectTable.Context());

        Assert.True(report.Passed);
        Assert.False(report.Results[0].Passed);
        Assert.Equal(1, report.FailedWarnings);
        Assert.Equal(0, report.FailedErrors);
    }

    [Fact]
    public void Samples_are_capped_at_max_samples_and_are_the_first_failing_rows()
    {
        var context = DefectTable.Context() with { MaxSamples = 2 };

        var result = RuleEngine.Evaluate(Evaluated.Value.Table, [new RangeRule { Column = "amount", Min = 0, Max = 10000 }], context).Results[0];

        Assert.Equal(5, result.FailingRows);
        Assert.Equal([12L, 23L], result.Samples.Select(s => s.Row));
    }

    [Fact]
    public void Exclusive_range_fails_values_on_its_bounds()
    {
        var table = TypedTable.FromRows(["n", "x"], [["0", "0.5"], ["1", "1"], ["5", "2.5"], ["10", "10"], ["11", "9.999"]]);
        var rules = new RuleDefinition[]
        {
            new RangeRule { Column = "n", Min = 0, Max = 10, Exclusive = true },
            new RangeRule { Column = "x", Min = 0.5, Max = 10, Exclusive = true },
            new RangeRule { Column = "n", Min = 0.5, Max = 9.5, Name = "n_fractional_bounds" },
        };

        var results = RuleEngine.Evaluate(table, rules, DefectTable.Context()).Results;

        Assert.Equal([1L, 4L, 5L], results[0].Samples.Select(s => s.Row));
        Assert.Equal([1L, 4L], results[1].Samples.Select(s => s.Row));
        Assert.Equal([1L, 4L, 5L], results[2].Samples.Select(s => s.Row));
        Assert.Equal("3 rows have n outside (0, 10)", results[0].Message);
    }

    [Fact]
    public void Value_rules_skip_nulls_and_count_only_rows_with_a_value()
    {
        var table = TypedTable.FromRows(["n"], [["1"], [null], ["-3"], [""], ["2"]]);

        var result = RuleEngine.Evaluate(table, [new RangeRule { Column = "n", Min = 0 }], DefectTable.Context()).Results[0];

        Assert.Equal(1, result.FailingRows);
        Assert.Equal(3, result.CheckedRows);
        Assert.Equal(3, result.Samples.Single().Row);
    }

    [Fact]
    public void Range_on_a_text_column_fails_values_that_are_not_numbers()
    {
        var table = TypedTable.FromRows(["v"], [["1"], ["abc"], ["250"], ["7"], ["n/a?"], ["3e2"]]);

        var result = RuleEngine.Evaluate(table, [new RangeRule { Column = "v", Min = 0, Max = 100 }], DefectTable.Context()).Results[0];

        Assert.Equal(ColumnType.String, table["v"].Type);
        Assert.Equal([2L, 3L, 5L, 6L], result.Samples.Select(s => s.Row));
        Assert.Equal("4 rows have v outside [0, 100] (2 not a number)", result.Message);
    }

    [Fact]
    public void Type_rule_checks_each_value_of_a_text_column_and_passes_a_column_already_of_that_type()
    {
        var texts = Enumerable.Range(0, 200).Select(i => i switch { 3 => "x1", 150 => "12.5", 199 => "9e99", _ => (i * 31).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var table = TypedTable.FromRows(["id", "amount", "when"],
            texts.Select((t, i) => new string?[] { t, (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture), i == 7 ? "yesterday" : "2024-05-01" }));
        var rules = new RuleDefinition[]
        {
            new TypeRule { Column = "id", Type = ExpectedType.Integer },
            new TypeRule { Column = "id", Type = ExpectedType.Decimal, Name = "id_decimal" },
            new TypeRule { Column = "amount", Type = ExpectedType.Integer },
            new TypeRule { Column = "amount", Type = ExpectedType.Decimal, Name = "amount_decimal" },
            new TypeRule { Column = "when", Type = ExpectedType.Timestamp },
        };

        var results = RuleEngine.Evaluate(table, rules, DefectTable.Context()).Results;

        Assert.Equal(ColumnType.String, table["id"].Type);
        Assert.Equal([4L, 151L, 200L], results[0].Samples.Select(s => s.Row));
        Assert.Equal([4L], results[1].Samples.Select(s => s.Row));
        Assert.Equal(100, results[2].FailingRows);  // every odd row holds a half
        Assert.True(results[3].Passed);
        Assert.Equal([8L], results[4].Samples.Select(s => s.Row));
    }

    [Fact]
    public void Allowed_values_compare_numbers_booleans_and_timestamps_by_value()
    {
        var table = TypedTable.FromRows(["level", "rate", "active", "day", "code"],
        [
            ["1", "0.5", "true", "2024-05-01", "ab"],
            ["2", "0.50", "yes", "2024-05-01T00:00:00Z", "AB"],
            ["3", "1.5", "false", "2024-05-02", "cd"],
            ["01", "2", "no", "2024-05-01T02:00:00+02:00", "Cd"],
        ]);
        var rules = new RuleDefinition[]
        {
            new AllowedValuesRule { Column = "level", Values = ["1", "2.0"] },
            new AllowedValuesRule { Column = "rate", Values = ["0.5", "2"] },
            new AllowedValuesRule { Column = "active", Values = ["TRUE"] },
            new AllowedValuesRule { Column = "day", Values = ["2024-05-01T00:00:00Z"] },
            new AllowedValuesRule { Column = "code", Values = ["ab", "cd"] },
            new AllowedValuesRule { Column = "code", Values = ["ab", "cd"], IgnoreCase = true, Name = "code_any_case" },
        };

        var results = RuleEngine.Evaluate(table, rules, DefectTable.Context()).Results;

        Assert.Equal([3L], results[0].Samples.Select(s => s.Row));
        Assert.Equal([3L], results[1].Samples.Select(s => s.Row));
        Assert.Equal([3L, 4L], results[2].Samples.Select(s => s.Row));
        Assert.Equal([3L], results[3].Samples.Select(s => s.Row));
        Assert.Equal([2L, 4L], results[4].Samples.Select(s => s.Row));
        Assert.True(results[5].Passed);
    }

    [Fact]
    public void Pattern_and_max_length_read_non_text_columns_as_their_invariant_text()
    {
        var table = TypedTable.FromRows(["zip", "price"], [["12345", "1.5"], ["1234", "10.25"], ["123456", "100"]]);
        var rules = new RuleDefinition[]
        {
            new PatternRule { Column = "zip", Regex = "^[0-9]{5}$" },
            new MaxLengthRule { Column = "price", MaxLength = 4 },
        };

        var results = RuleEngine.Evaluate(table, rules, DefectTable.Context()).Results;

        Assert.Equal(ColumnType.Integer, table["zip"].Type);
        Assert.Equal([2L, 3L], results[0].Samples.Select(s => s.Row));
        Assert.Equal([2L], results[1].Samples.Select(s => s.Row));
    }

    [Fact]
    public void Unique_over_several_columns_fails_rows_repeating_the_combination_and_skips_rows_with_a_null()
    {
        var table = TypedTable.FromRows(["account", "seq", "amount"],
        [
            ["A", "1", "10.5"], ["A", "2", "10.5"], ["B", "1", "10.5"], ["A", "1", "99"], [null, "1", "1"], [null, "1", "1"], ["B", "1", "3"], ["A", "1", "0"],
        ]);

        var result = RuleEngine.Evaluate(table, [new UniqueRule { Columns = ["account", "seq"] }], DefectTable.Context()).Results[0];

        Assert.Equal([4L, 7L, 8L], result.Samples.Select(s => s.Row));
        Assert.Equal(6, result.CheckedRows);
        Assert.Equal(new Dictionary<string, string?> { ["account"] = "A", ["seq"] = "1" }, result.Samples[0].Values);
        Assert.Equal("3 rows repeat the (account, seq) of an earlier row", result.Message);
    }

    [Fact]
    public void A_pattern_that_runs_too_long_stops_the_rule_with_a_message()
    {
        // A lookahead needs the backtracking engine, and (a+)+$ backtracks exponentially on a near-miss.
        var table = TypedTable.FromRows(["s"], Enumerable.Range(0, 3).Select(i => new string?[] { new string('a', 40) + "!" + i }));

        var result = RuleEngine.Evaluate(table, [new PatternRule { Column = "s", Regex = "^(?=a)(a+)+$" }], DefectTable.Context()).Results[0];

        Assert.False(result.Passed);
        Assert.Equal(ColumnType.String, table["s"].Type);
        Assert.StartsWith("The pattern ^(?=a)(a+)+$ took longer than 250 ms on one value of s (row 1); the rule was stopped.", result.Message);
    }

    [Fact]
    public void An_invalid_rule_built_in_code_fails_with_its_problem_instead_of_throwing()
    {
        var result = RuleEngine.Evaluate(Evaluated.Value.Table, [new RangeRule { Column = "amount" }], DefectTable.Context()).Results[0];

        Assert.False(result.Passed);
        Assert.Equal("Invalid rule: a range needs 'min', 'max' or both", result.Message);
    }

    [Fact]
    public void Report_serialises_to_json_with_snake_case_kinds_and_samples()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Report, RuleSet.JsonOptions);

        Assert.Contains("""
            "name":"not_null:customer","kind":"not_null","columns":["customer"],"severity":"error","passed":false,"failingRows":4,"checkedRows":1000,"samples":[{"row":4,"keys":{"txn_id":"4"},"values":{"customer":null}}
            """.Trim(), json);
        Assert.Contains("\"rowCount\":1000,", json);
        Assert.Contains("\"failedErrors\":8,\"failedWarnings\":1", json);
    }

    [Fact]
    public void Text_columns_are_checked_value_by_value_and_categorical_ones_once_per_category()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new string?[]
        {
            i switch { 4 => "soon", 9 => "2024-05-03T00:00:00Z", 30 => "2024-04-01", _ => $"2024-05-01T{i % 24:D2}:00:00Z" },
            i % 10 == 3 ? "eu-west" : i % 2 == 0 ? "EU-WEST" : "US-EAST",
        });
        var table = TypedTable.FromRows(["seen", "region"], rows);
        var rules = new RuleDefinition[]
        {
            new FreshnessRule { Column = "seen", MaxAgeHours = 72 },
            new PatternRule { Column = "region", Regex = "^[A-Z]+-[A-Z]+$" },
        };

        var results = RuleEngine.Evaluate(table, rules, DefectTable.Context()).Results;

        Assert.Equal((ColumnType.String, ColumnType.Categorical), (table["seen"].Type, table["region"].Type));
        Assert.Equal([5L, 10L, 31L], results[0].Samples.Select(s => s.Row));
        Assert.Equal("3 rows have seen outside [2024-04-29T00:00:00Z, 2024-05-02T00:00:00Z]: " +
            "1 older than 2024-04-29T00:00:00Z (72 h before the end of the execution date), 1 later than 2024-05-02T00:00:00Z, 1 not a timestamp",
            results[0].Message);
        Assert.Equal([4L, 14L, 24L, 34L], results[1].Samples.Select(s => s.Row));
    }
}
