using Vigil.Validation.Datasets;

namespace Vigil.Validation.UnitTests.Datasets;

public sealed class DatasetRegistrationErrorTests
{
    [Theory]
    [InlineData("- name: a\n  kind: [unclosed\n")]
    [InlineData("- name: a\n\tkind: not_null\n")]
    [InlineData("- name: a\n  kind: not_null\n - column: x\n")]
    [InlineData("- {name: a, kind: not_null, column: x\n")]
    [InlineData("key: \"unterminated\n")]
    [InlineData("- &a [*a]\n")]
    [InlineData("- *undefined\n")]
    [InlineData("- !!binary notbase64\n")]
    [InlineData("- name: a\n  kind: range\n  column: x\n  min: [1, 2]\n")]
    [InlineData("%YAML 9.9\n---\n- a\n")]
    [InlineData("- ? [a, b]\n  : c\n")]
    [InlineData("just words")]
    [InlineData(":")]
    [InlineData("- name: a\n  name: b\n")]
    [InlineData("- {a: 1, a: 2}\n")]
    [InlineData("- name: a\n  kind: range\n  column: x\n  min: .inf\n")]
    [InlineData("- name: a\n  kind: range\n  column: x\n  min: 1e999\n")]
    [InlineData("- name: a\n  kind: pattern\n  column: x\n  pattern: \"([\"\n")]
    [InlineData("- name: a\n  kind: expression\n  expression: \"amount >\"\n")]
    [InlineData("- name: a\n  kind: allowed_values\n  column: x\n  values: {a: 1}\n")]
    [InlineData("- name: 5\n  kind: not_null\n  column: [x]\n")]
    [InlineData("- null\n")]
    [InlineData("- - - a\n")]
    [InlineData("{rules: 5}")]
    [InlineData("rules: {a: 1}")]
    [InlineData("- name: a\n  kind: not_null\n  column: x\n  severity: 3\n")]
    public void Malformed_rules_yaml_is_a_rulesYaml_error_never_an_exception(string yaml)
    {
        var (dataset, errors) = CompiledDataset.Compile(new DatasetDefinition { Name = "tests.yaml", KeyColumns = ["id"], RulesYaml = yaml }, 0);

        Assert.Null(dataset);
        Assert.True(errors.ContainsKey("rulesYaml"), string.Join(" | ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    [Fact]
    public void Malformed_yaml_names_the_line_and_column()
    {
        var (_, errors) = CompiledDataset.Compile(new DatasetDefinition
        {
            Name = "tests.yaml", KeyColumns = ["id"], RulesYaml = "- name: a\n  kind: not_null\n  column: [x\n",
        }, 0);

        var message = Assert.Single(errors["rulesYaml"]);
        Assert.Matches(@"line \d+, column \d+", message);
    }

    [Fact]
    public void Null_name_key_columns_and_delimiter_are_field_errors_not_exceptions()
    {
        var definition = System.Text.Json.JsonSerializer.Deserialize<DatasetDefinition>(
            """{ "name": null, "keyColumns": null, "delimiter": null }""", Vigil.Validation.ValidationJson.Options)!;

        var (dataset, errors) = CompiledDataset.Compile(definition, 0);

        Assert.Null(dataset);
        Assert.Contains("required", Assert.Single(errors["name"]));
        Assert.True(errors.ContainsKey("keyColumns"));
        Assert.False(errors.ContainsKey("delimiter"));
    }
}
