using System.Text.Json;
using Vigil.Contracts;
using Vigil.Validation.Rules;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Datasets;

/// <summary>A registered definition with its rules parsed and its expected schema read, ready to validate batches.</summary>
public sealed record CompiledDataset(DatasetDefinition Definition, int Version, IReadOnlyList<RuleDefinition> Rules, SchemaSnapshot? ExpectedSchema)
{
    /// <summary>Parses rules and expected schema, listing every problem (field -> messages) instead of stopping at the first.</summary>
    public static (CompiledDataset? Dataset, Dictionary<string, string[]> Errors) Compile(DatasetDefinition definition, int version)
    {
        var errors = new Dictionary<string, string[]>();
        // JSON null reaches properties the type declares non-null: each is answered as missing, never as an exception.
        definition = definition with
        {
            KeyColumns = definition.KeyColumns ?? [],
            Delimiter = definition.Delimiter ?? ",",
        };
        if (string.IsNullOrEmpty(definition.Name))
            errors["name"] = ["'name' is required: the dataset's name, e.g. banking.transactions."];
        else if (!DatasetNames.IsValid(definition.Name))
            errors["name"] = [$"'{definition.Name}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-' (e.g. banking.transactions)."];
        if (definition.KeyColumns.Count == 0 || definition.KeyColumns.Any(string.IsNullOrWhiteSpace))
            errors["keyColumns"] = ["At least one key column is needed (it identifies records in samples, uniqueness and reconciliation)."];
        else if (definition.KeyColumns.Distinct().Count() != definition.KeyColumns.Count)
            errors["keyColumns"] = ["Key columns must not repeat."];
        if (definition.Delimiter.Length != 1 || definition.Delimiter is "\"" or "\n" or "\r")
            errors["delimiter"] = ["The delimiter must be one character other than a quote or a line break."];
        if (definition.Rules is { ValueKind: not JsonValueKind.Array and not JsonValueKind.Null })
            errors["rules"] = ["Rules must be a JSON array of rule objects."];
        if (definition.Rules is { ValueKind: JsonValueKind.Array } && definition.RulesYaml is not null)
            errors["rulesYaml"] = ["Give rules either as JSON (rules) or as YAML (rulesYaml), not both."];

        if (definition.Pull is { } pull)
        {
            var pullProblems = (pull.Target is null ? ["pull.target is required."] : pull.Target.Problems("target"))
                .Concat(pull.Source?.Problems("source") ?? []).ToArray();
            if (pullProblems.Length > 0) errors["pull"] = pullProblems;
        }
        if (definition.Schedule is { } schedule && schedule.Problems(definition.Pull is not null).ToArray() is { Length: > 0 } scheduleProblems)
            errors["schedule"] = scheduleProblems;

        IReadOnlyList<RuleDefinition> rules = [];
        var rulesText = definition.RulesYaml ?? (definition.Rules is { ValueKind: JsonValueKind.Array } json ? json.GetRawText() : null);
        if (rulesText is not null && !errors.ContainsKey("rules") && !errors.ContainsKey("rulesYaml"))
        {
            try
            {
                rules = RuleSet.Parse(rulesText);
            }
            catch (RuleDefinitionException e)
            {
                errors[definition.RulesYaml is null ? "rules" : "rulesYaml"] = [e.Message];
            }
        }

        SchemaSnapshot? expected = null;
        if (definition.ExpectedSchema is { ValueKind: JsonValueKind.Object } schemaJson)
        {
            try
            {
                expected = schemaJson.Deserialize<ExpectedSchema>(ValidationJson.Options)?.ToSnapshot();
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                errors["expectedSchema"] = [$"The expected schema cannot be read: {e.Message}"];
            }
        }
        if (expected is not null)
        {
            var known = expected.Columns.Select(c => c.Name).ToHashSet();
            var unknownKeys = definition.KeyColumns.Where(k => !known.Contains(k)).ToList();
            if (unknownKeys.Count > 0) errors["keyColumns"] = [$"Key column(s) {string.Join(", ", unknownKeys.Select(k => $"'{k}'"))} are not in the expected schema."];
            var ruleProblems = RuleSet.Validate(rules, known);
            if (ruleProblems.Count > 0) errors["rules"] = [.. ruleProblems];
        }

        return errors.Count > 0 ? (null, errors) : (new CompiledDataset(definition, version, rules, expected), errors);
    }
}
