using System.Globalization;
using Vigil.Tabular.Tables;
using Vigil.Validation.Rules;
using Vigil.Validation.Rules.Expressions;

namespace Vigil.Validation.UnitTests.Rules;

public sealed class ExpressionTests
{
    private static readonly RuleContext Context = new() { ExecutionDate = new DateOnly(2024, 5, 1), KeyColumns = ["id"] };

    [Theory]
    [InlineData("a + b * c == 7", "((a + (b * c)) == 7)")]
    [InlineData("(a + b) * c == 9", "(((a + b) * c) == 9)")]
    [InlineData("a - b - c < 0", "(((a - b) - c) < 0)")]
    [InlineData("a / b * c >= 1", "(((a / b) * c) >= 1)")]
    [InlineData("-a * -b != 2", "(((-a) * (-b)) != 2)")]
    [InlineData("a > 1 or b > 1 and c > 1", "((a > 1) or ((b > 1) and (c > 1)))")]
    [InlineData("not a > 1 or b is not null", "((not (a > 1)) or (b is not null))")]
    [InlineData("!(a == 1) && b <> 2 || c = 3", "(((not (a == 1)) and (b != 2)) or (c == 3))")]
    [InlineData("abs(a - b) <= 0.5E1", "(abs((a - b)) <= 5)")]
    [InlineData("`net amount` > 0 AND `a``b` IS NULL", "((net amount > 0) and (a`b is null))")]
    [InlineData("status == 'it''s' or flag == true", "((status == \"it's\") or (flag == true))")]
    public void Parser_follows_precedence_and_associativity(string expression, string tree)
    {
        Assert.Equal(tree, Print(ExpressionParser.Parse(expression).Root));
    }

    [Theory]
    [InlineData("a + b * c == 7", true)]
    [InlineData("(a + b) * c == 7", false)]
    [InlineData("a - b - c == -4", true)]
    [InlineData("a / b * c == 1.5", true)]
    [InlineData("-a * -b == 2", true)]
    [InlineData("c - a * b == 1", true)]
    [InlineData("not a > 1 or b > 5", true)]
    [InlineData("abs(a - c) == 2", true)]
    [InlineData("0.1 + 0.2 == 0.3", true)]
    public void Evaluation_follows_precedence(string expression, bool holds)
    {
        var table = TypedTable.FromRows(["a", "b", "c"], [["1", "2", "3"]]);

        var result = Evaluate(table, expression);

        Assert.Equal(holds, result.Passed);
        Assert.Equal(1, result.CheckedRows);
    }

    [Fact]
    public void Equality_allows_the_rule_tolerance_and_inequality_respects_it()
    {
        var table = TypedTable.FromRows(["id", "before", "amount", "after"],
        [
            ["1", "100", "10", "90"],
            ["2", "100", "10", "90.009"],
            ["3", "100", "10", "90.011"],
            ["4", "100", "10", "89.99"],
            ["5", "100", "10", "89.98"],
        ]);

        var equal = Evaluate(table, "after == before - amount", tolerance: 0.01);
        var strict = Evaluate(table, "after == before - amount");
        var unequal = Evaluate(table, "after != before - amount", tolerance: 0.01);

        Assert.Equal([3L, 5L], equal.Samples.Select(s => s.Row));
        Assert.Equal(4, strict.FailingRows);
        Assert.Equal([1L, 2L, 4L], unequal.Samples.Select(s => s.Row));
    }

    [Fact]
    public void A_comparison_with_a_null_operand_is_not_evaluated_and_is_null_tests_see_nulls()
    {
        var table = TypedTable.FromRows(["id", "a", "b"], [["1", "5", "1"], ["2", null, "1"], ["3", "-1", "1"], ["4", "0", null]]);

        var compare = Evaluate(table, "a > b");
        var negated = Evaluate(table, "not (a > b)");
        var guarded = Evaluate(table, "a is null or a > 0");
        var required = Evaluate(table, "b is not null");

        Assert.Equal((2L, 1L), (compare.CheckedRows, compare.FailingRows));
        Assert.Equal([3L], compare.Samples.Select(s => s.Row));
        Assert.Equal("1 row breaks a > b; 2 rows were not evaluated (a null operand)", compare.Message);
        Assert.Equal([1L], negated.Samples.Select(s => s.Row));
        Assert.Equal([3L, 4L], guarded.Samples.Select(s => s.Row));  // row 2 passes: a is null
        Assert.Equal(4, guarded.CheckedRows);                         // 'or' with a true side is true even when the other is unknown
        Assert.Equal([4L], required.Samples.Select(s => s.Row));
        Assert.Equal(4, required.CheckedRows);
    }

    [Fact]
    public void Three_valued_logic_decides_or_and_and_over_unknowns_when_one_side_settles_it()
    {
        var table = TypedTable.FromRows(["id", "a", "b"], [["1", null, "1"], ["2", null, "-1"]]);

        var either = Evaluate(table, "a > 0 or b > 0");
        var both = Evaluate(table, "a > 0 and b > 0");

        Assert.Equal((1L, 0L), (either.CheckedRows, either.FailingRows));  // row 1 true; row 2 unknown
        Assert.Equal((1L, 1L), (both.CheckedRows, both.FailingRows));      // row 2 false; row 1 unknown
        Assert.Equal(2, both.Samples.Single().Row);
    }

    [Fact]
    public void Division_by_zero_has_no_value()
    {
        var table = TypedTable.FromRows(["id", "a", "b"], [["1", "4", "2"], ["2", "4", "0"], ["3", "4", "8"]]);

        var ratio = Evaluate(table, "a / b >= 1");
        var missing = Evaluate(table, "(a / b) is not null");

        Assert.Equal((2L, 1L), (ratio.CheckedRows, ratio.FailingRows));
        Assert.Equal([2L], missing.Samples.Select(s => s.Row));
    }

    [Fact]
    public void Text_timestamps_and_booleans_compare_by_their_kind()
    {
        var table = TypedTable.FromRows(["id", "status", "opened", "closed", "vip", "limit"],
        [
            ["1", "open", "2024-05-01T10:00:00Z", null, "true", "100"],
            ["2", "closed", "2024-05-01T10:00:00Z", "2024-05-01T09:00:00Z", "false", "100"],
            ["3", "closed", "2024-05-01T10:00:00Z", "2024-05-01T12:30:00Z", "false", "n/a"],
            ["4", "closed", "2024-05-01T10:00:00Z", null, "true", "250"],
        ]);

        var closing = Evaluate(table, "status != 'closed' or closed is not null");
        var order = Evaluate(table, "closed >= opened");
        var duration = Evaluate(table, "closed - opened <= 3600");
        var vip = Evaluate(table, "vip == (limit > 150) or not vip");
        var flag = Evaluate(table, "vip");

        Assert.Equal([4L], closing.Samples.Select(s => s.Row));
        Assert.Equal([2L], order.Samples.Select(s => s.Row));
        Assert.Equal([3L], duration.Samples.Select(s => s.Row));
        Assert.Equal([1L], vip.Samples.Select(s => s.Row));
        Assert.Equal([2L, 3L], flag.Samples.Select(s => s.Row));
    }

    [Fact]
    public void A_text_column_where_a_number_is_needed_is_read_as_numbers()
    {
        var table = TypedTable.FromRows(["id", "qty", "price", "total"],
            [["1", "2", "1.5", "3"], ["2", "x", "1", "1"], ["3", "4", "2", "9"]]);

        var result = Evaluate(table, "qty * price == total");

        Assert.Equal(ColumnType.String, table["qty"].Type);
        Assert.Equal((2L, 1L), (result.CheckedRows, result.FailingRows));
        Assert.Equal(3, result.Samples.Single().Row);
    }

    [Fact]
    public void A_column_the_batch_lacks_fails_the_rule_with_its_position()
    {
        var table = TypedTable.FromRows(["id", "a"], [["1", "1"]]);

        var result = Evaluate(table, "a + missing_col > 0");

        Assert.False(result.Passed);
        Assert.Equal("Column 'missing_col' is not in the batch (position 5 of the expression)", result.Message);
    }

    [Theory]
    [InlineData("flag + 1 > 0", "invalid expression at position 1: '+' needs a number, not a condition (column 'flag')")]
    [InlineData("amount and flag", "invalid expression at position 1: 'and' needs a condition, not a number (column 'amount')")]
    [InlineData("name", "invalid expression at position 1: the expression must be a condition (a comparison such as a == b), not text (column 'name' is string)")]
    [InlineData("flag == amount", "invalid expression at position 6: '==' cannot compare a condition with a number")]
    [InlineData("amount == 'ten'", "invalid expression at position 11: '==' needs a number, not text")]
    public void Operands_of_the_wrong_type_fail_the_rule_at_binding_with_a_position(string expression, string message)
    {
        var table = TypedTable.FromRows(["flag", "amount", "name"], [["true", "1.5", "x1"], ["false", "2", "y7"], ["true", "3", "z3"]]);

        var result = Evaluate(table, expression);

        Assert.False(result.Passed);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("System.IO.File.Delete(\"x\")", 7, "unexpected character '.'")]
    [InlineData("Delete(\"x\") == 1", 1, "unknown function 'Delete'; the only function is abs(x)")]
    [InlineData("__import__('os') == 0", 1, "unknown function '__import__'; the only function is abs(x)")]
    [InlineData("a == 1; rm -rf /", 7, "unexpected character ';'")]
    [InlineData("a == b $ c", 8, "unexpected character '$'")]
    [InlineData("a[0] == 1", 2, "unexpected character '['")]
    [InlineData("a = b = c", 7, "comparisons cannot be chained: '=' follows a comparison; join them with 'and'")]
    [InlineData("0 < a < 10", 7, "comparisons cannot be chained: '<' follows a comparison; join them with 'and'")]
    [InlineData("(a + b == c", 12, "expected ')' to close the '(' at position 1 but found the end of the expression")]
    [InlineData("a == null", 6, "'null' can only be tested with 'is null' or 'is not null'")]
    [InlineData("a is 5", 6, "expected 'null' after 'is' but found '5'")]
    [InlineData("a + b", 1, "the expression must be a condition (a comparison such as a == b), not a number")]
    [InlineData("'x' + 1 > 0", 1, "'+' needs a number, not text")]
    [InlineData("a > 1 and 2", 11, "'and' needs a condition, not a number")]
    [InlineData("abs(a, b) > 1", 6, "abs takes exactly one argument")]
    [InlineData("12abc > 1", 3, "unexpected 'a' after the number '12'")]
    [InlineData("name == 'open", 9, "unterminated text: missing closing '")]
    [InlineData("`col > 1", 1, "unterminated column name: missing closing `")]
    [InlineData("a == 1 b", 8, "unexpected 'b' after a complete expression")]
    [InlineData("  ", 1, "the expression is empty")]
    public void Anything_outside_the_language_is_a_parse_error_with_its_position(string expression, int position, string problem)
    {
        var error = Assert.Throws<RuleDefinitionException>(() => ExpressionParser.Parse(expression));

        Assert.Equal(position, error.Position);
        Assert.Equal($"invalid expression at position {position}: {problem}", error.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_rather_than_overflowing_the_stack()
    {
        var expression = new string('(', 10_000) + "a" + new string(')', 10_000) + " > 0";
        var shallow = new string('(', 60) + "a" + new string(')', 60) + " > 0";

        var tooLong = Assert.Throws<RuleDefinitionException>(() => ExpressionParser.Parse(expression));
        var tooDeep = Assert.Throws<RuleDefinitionException>(() => ExpressionParser.Parse(new string('-', 100) + "a > 0"));

        Assert.Contains("longer than 4000 characters", tooLong.Message);
        Assert.Contains("nests deeper than 64 levels", tooDeep.Message);
        Assert.IsType<Binary>(ExpressionParser.Parse(shallow).Root);
    }

    [Fact]
    public void Parsed_expressions_list_their_columns_in_order_of_appearance()
    {
        var parsed = ExpressionParser.Parse("balance_after == balance_before - amount + abs(balance_before - fee)");

        Assert.Equal(["balance_after", "balance_before", "amount", "fee"], parsed.Columns);
    }

    private static RuleResult Evaluate(TypedTable table, string expression, double tolerance = 0) =>
        RuleEngine.Evaluate(table, [new ExpressionRule { Expression = expression, Tolerance = tolerance }], Context).Results[0];

    private static string Print(Expr expr) => expr switch
    {
        NumberLiteral n => n.Value.ToString(CultureInfo.InvariantCulture),
        TextLiteral t => $"\"{t.Value}\"",
        BooleanLiteral b => b.Value ? "true" : "false",
        ColumnReference c => c.Name,
        Negation n => $"(-{Print(n.Operand)})",
        LogicalNot n => $"(not {Print(n.Operand)})",
        AbsoluteValue a => $"abs({Print(a.Operand)})",
        NullTest t => $"({Print(t.Operand)} is {(t.Negated ? "not " : "")}null)",
        Binary b => $"({Print(b.Left)} {b.Symbol} {Print(b.Right)})",
        _ => throw new InvalidOperationException(),
    };
}
