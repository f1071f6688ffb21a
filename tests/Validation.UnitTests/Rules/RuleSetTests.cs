using System.Text.Json;
using Vigil.Validation.Rules;

namespace Vigil.Validation.UnitTests.Rules;

public sealed class RuleSetTests
{
    private const string AllKindsYaml = """
        # the same rules as DefectTable.RulesJson
        rules:
          - kind: unique
            columns: [txn_id]
          - kind: not_null
            column: customer
          - name: account_format
            kind: pattern
            column: account
            regex: '^ACC-\d{4}$'
          - name: amount_range
            kind: range
            column: amount
            min: 0
            max: 10000
          - kind: allowed_values
            column: currency
            values: [EUR, USD, GBP]
          - kind: max_length
            column: note
            maxLength: 20
          - kind: type
            column: qty
            type: integer
          - kind: freshness
            column: booked_at
            maxAgeHours: 48
          - kind: row_count
            min: 500
            maxChangeRatio: 0.1
          - name: balance
            kind: expression
            expression: balance_after == balance_before - amount
            tolerance: 0.01
            severity: warning
        """;

    [Fact]
    public void Json_rules_of_every_kind_parse_into_typed_definitions()
    {
        var rules = RuleSet.Parse(DefectTable.RulesJson);

        Assert.Equal(
            [RuleKind.Unique, RuleKind.NotNull, RuleKind.Pattern, RuleKind.Range, RuleKind.AllowedValues, RuleKind.MaxLength, RuleKind.Type,
             RuleKind.Freshness, RuleKind.RowCount, RuleKind.Expression],
            rules.Select(r => r.Kind));
        var range = Assert.IsType<RangeRule>(rules[3]);
        Assert.Equal(("amount_range", "amount", 0d, 10000d, false, RuleSeverity.Error), (range.Name, range.Column, range.Min, range.Max, range.Exclusive, range.Severity));
        Assert.Equal(["txn_id"], Assert.IsType<UniqueRule>(rules[0]).Columns);
        Assert.Equal(@"^ACC-\d{4}$", Assert.IsType<PatternRule>(rules[2]).Regex);
        Assert.Equal(ExpectedType.Integer, Assert.IsType<TypeRule>(rules[6]).Type);
        Assert.Equal(48, Assert.IsType<FreshnessRule>(rules[7]).MaxAgeHours);
        var rowCount = Assert.IsType<RowCountRule>(rules[8]);
        Assert.Equal((500L, (long?)null, 0.1), (rowCount.Min, rowCount.Max, rowCount.MaxChangeRatio));
        var expression = Assert.IsType<ExpressionRule>(rules[9]);
        Assert.Equal((0.01, RuleSeverity.Warning), (expression.Tolerance, expression.Severity));
    }

    [Fact]
    public void Rules_without_a_name_are_named_kind_colon_column()
    {
        var rules = RuleSet.Parse(DefectTable.RulesJson);

        Assert.Equal(["unique:txn_id", "not_null:customer", "account_format", "amount_range", "allowed_values:currency", "max_length:note",
            "type:qty", "freshness:booked_at", "row_count", "balance"], rules.Select(r => r.Name));
    }

    [Fact]
    public void Yaml_rules_parse_to_the_same_definitions_as_json()
    {
        var fromYaml = RuleSet.Parse(AllKindsYaml);

        Assert.Equal(RuleSet.ToJson(RuleSet.Parse(DefectTable.RulesJson)), RuleSet.ToJson(fromYaml));
    }

    [Fact]
    public void Yaml_quoted_numbers_stay_text_and_plain_numbers_are_numbers()
    {
        var rules = RuleSet.Parse("""
            - kind: allowed_values
              column: zip
              values: ['01234', 42, true]
            """);

        Assert.Equal(["01234", "42", "true"], Assert.IsType<AllowedValuesRule>(rules[0]).Values);
    }

    [Fact]
    public void Rules_written_as_json_read_back_equal()
    {
        var rules = RuleSet.Parse(DefectTable.RulesJson);

        var json = RuleSet.ToJson(rules);
        var again = RuleSet.Parse(json);

        Assert.Equal(json, RuleSet.ToJson(again));
        Assert.StartsWith("""[{"kind":"unique","name":"unique:txn_id","columns":["txn_id"],"severity":"error"}""", json);
    }

    [Fact]
    public void Allowed_values_accept_numbers_and_booleans_as_text()
    {
        var rules = RuleSet.Parse("""[{ "kind": "allowed_values", "column": "level", "values": [1, 2.50, "three", false] }]""");

        Assert.Equal(["1", "2.50", "three", "false"], Assert.IsType<AllowedValuesRule>(rules[0]).Values);
    }

    [Fact]
    public void An_object_with_a_rules_list_and_empty_texts_are_accepted()
    {
        Assert.Single(RuleSet.Parse("""{ "rules": [ { "kind": "not_null", "column": "a" } ] }"""));
        Assert.Empty(RuleSet.Parse("   "));
        Assert.Empty(RuleSet.Parse("[]"));
        Assert.Empty(RuleSet.Parse("# no rules yet\n"));
    }

    [Fact]
    public void Rules_in_a_json_element_parse_like_text()
    {
        using var document = JsonDocument.Parse("""{ "name": "banking.transactions", "rules": [ { "kind": "unique", "columns": ["a", "b"] } ] }""");

        var rules = RuleSet.Parse(document.RootElement.GetProperty("rules"));

        Assert.Equal("unique:a,b", rules.Single().Name);
    }

    [Theory]
    [InlineData("""[{ "kind": "rnage", "column": "amount" }]""",
        "rules[0] ('rnage:amount'): unknown kind 'rnage'; expected one of not_null, unique, range, pattern, allowed_values, max_length, type, freshness, row_count, expression")]
    [InlineData("""[{ "column": "amount", "min": 0 }]""",
        "rules[0]: missing 'kind'; expected one of not_null, unique, range, pattern, allowed_values, max_length, type, freshness, row_count, expression")]
    [InlineData("""[{ "kind": "not_null", "column": "a" }, { "name": "amount_positive", "kind": "range", "min": 0 }]""",
        "rules[1] ('amount_positive'): missing 'column'")]
    [InlineData("""[{ "kind": "unique", "column": "id" }]""",
        "rules[0] ('unique:id'): unknown field 'column' for kind unique; expected name, columns, severity")]
    [InlineData("""[{ "kind": "max_length", "column": "note", "max_length": 5 }]""",
        "rules[0] ('max_length:note'): unknown field 'max_length'; did you mean 'maxLength'?")]
    [InlineData("""[{ "kind": "range", "column": "amount", "min": "zero" }]""",
        "rules[0] ('range:amount'): 'min' must be a number")]
    [InlineData("""[{ "kind": "range", "column": "amount", "min": 5, "max": 1 }]""",
        "rules[0] ('range:amount'): the range [5, 1] is empty ('min' must be below 'max')")]
    [InlineData("""[{ "kind": "range", "column": "amount" }]""",
        "rules[0] ('range:amount'): a range needs 'min', 'max' or both")]
    [InlineData("""[{ "kind": "pattern", "column": "iban", "regex": "[A-Z" }]""",
        "rules[0] ('pattern:iban'): invalid regex '[A-Z': Invalid pattern '[A-Z' at offset 4. Unterminated [] set.")]
    [InlineData("""[{ "name": "bal", "kind": "expression", "expression": "balance_after == balance_before -" }]""",
        "rules[0] ('bal'): invalid expression at position 34: expected a number, a column or '(' but found the end of the expression")]
    [InlineData("""[{ "kind": "type", "column": "qty", "type": "categorical" }]""",
        "rules[0] ('type:qty'): 'type' must be one of integer, decimal, boolean, timestamp, string")]
    [InlineData("""[{ "kind": "not_null", "column": "a", "severity": "fatal" }]""",
        "rules[0] ('not_null:a'): 'severity' must be one of error, warning")]
    [InlineData("""[{ "kind": "freshness", "column": "ts", "maxAgeHours": 0 }]""",
        "rules[0] ('freshness:ts'): 'maxAgeHours' must be a positive number of hours")]
    [InlineData("""[{ "kind": "allowed_values", "column": "c", "values": [] }]""",
        "rules[0] ('allowed_values:c'): 'values' must list at least one value")]
    [InlineData("""[{ "kind": "unique", "columns": ["a", "a"] }]""",
        "rules[0] ('unique:a,a'): 'columns' names a column twice")]
    [InlineData("""[{ "kind": "row_count" }]""",
        "rules[0] ('row_count'): a row_count rule needs 'min', 'max' or 'maxChangeRatio'")]
    [InlineData("""[{ "kind": "max_length", "column": "a", "maxLength": 2.5 }]""",
        "rules[0] ('max_length:a'): 'maxLength' must be a whole number")]
    [InlineData("""[{ "kind": "not_null", "column": "a" }, { "kind": "not_null", "column": "a" }]""",
        "rules[1] ('not_null:a'): the name is already used by rules[0]; give one of them a different 'name'")]
    [InlineData("""[ "not_null" ]""", "rules[0]: expected an object with a 'kind', not a string")]
    [InlineData("""{ "rule": [] }""", "Unknown field 'rule' at the top level; expected 'rules'")]
    [InlineData("""[{ "kind": "not_null", "column": "a" }""", "Invalid JSON: ")]
    [InlineData("rules:\n  - kind: not_null\n   column: a\n", "Invalid YAML at line 3, column 4: ")]
    public void Bad_definitions_are_rejected_with_a_message_naming_the_rule_and_the_problem(string text, string message)
    {
        var error = Assert.Throws<RuleDefinitionException>(() => RuleSet.Parse(text));

        if (message.EndsWith(": ", StringComparison.Ordinal)) Assert.StartsWith(message, error.Message);
        else Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_exception_carries_the_rule_index_name_and_expression_position()
    {
        var error = Assert.Throws<RuleDefinitionException>(() => RuleSet.Parse("""
            [ { "kind": "not_null", "column": "a" },
              { "name": "bad_delete", "kind": "expression", "expression": "System.IO.File.Delete(\"x\")" } ]
            """));

        Assert.Equal(1, error.RuleIndex);
        Assert.Equal("bad_delete", error.RuleName);
        Assert.Equal(7, error.Position);
        Assert.Equal("rules[1] ('bad_delete'): invalid expression at position 7: unexpected character '.'", error.Message);
    }

    [Fact]
    public void Validate_reports_columns_missing_from_the_schema_including_those_in_expressions()
    {
        var rules = RuleSet.Parse("""
            [
              { "kind": "not_null", "column": "Amount" },
              { "kind": "unique", "columns": ["id", "branch"] },
              { "name": "balance", "kind": "expression", "expression": "after == before - amount" },
              { "kind": "row_count", "min": 1 }
            ]
            """);

        var problems = RuleSet.Validate(rules, ["id", "amount", "before", "after"]);

        Assert.Equal(
        [
            "rules[0] ('not_null:Amount'): column 'Amount' is not in the schema; did you mean 'amount'?",
            "rules[1] ('unique:id,branch'): column 'branch' is not in the schema",
        ], problems);
        Assert.Empty(RuleSet.Validate([.. rules.Skip(2)], ["id", "amount", "before", "after"]));
        Assert.Equal(["rules[0] ('balance'): column 'before' (position 10 of the expression) is not in the schema"],
            RuleSet.Validate([rules[2]], ["after", "amount"]));
    }

    [Fact]
    public void Validate_reports_invalid_definitions_built_in_code_and_duplicate_names()
    {
        RuleDefinition[] rules =
        [
            new PatternRule { Column = "a", Regex = "(" },
            new NotNullRule { Column = "a", Name = "x" },
            new NotNullRule { Column = "a", Name = "x" },
        ];

        var problems = RuleSet.Validate(rules, ["a"]);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("rules[0] ('pattern:a'): invalid regex '(': Invalid pattern '(' at offset 1.", problems[0]);
        Assert.Equal("rules[2] ('x'): the name is already used by rules[1]; give one of them a different 'name'", problems[1]);
    }
}
