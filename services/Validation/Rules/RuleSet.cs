using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Vigil.Validation.Rules.Expressions;

namespace Vigil.Validation.Rules;

/// <summary>
/// Reads and checks a dataset's rule definitions. The text is JSON when it starts with '[' or '{' (so YAML must use block
/// style at the top level), YAML otherwise; either a list of rules or an object with a <c>rules</c> list:
/// <code>
/// [ { "name": "amount_positive", "kind": "range", "column": "amount", "min": 0, "max": 100000, "severity": "error" } ]
///
/// rules:
///   - kind: unique
///     columns: [account_id, txn_id]
/// </code>
/// </summary>
public static class RuleSet
{
    private static readonly Dictionary<string, Type> KindTypes = typeof(RuleDefinition).GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType, StringComparer.Ordinal);

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>camelCase fields, snake_case kinds and enums, nulls left out when writing.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>Parses JSON or YAML rule definitions; throws <see cref="RuleDefinitionException"/> naming the rule and the problem.</summary>
    public static IReadOnlyList<RuleDefinition> Parse(string jsonOrYaml)
    {
        ArgumentNullException.ThrowIfNull(jsonOrYaml);
        var text = jsonOrYaml.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.Length == 0) return [];
        if (text[0] is '[' or '{')
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, DocumentOptions);
            }
            catch (JsonException e)
            {
                throw new RuleDefinitionException($"Invalid JSON: {e.Message}", inner: e);
            }
            using (document) return Parse(document.RootElement);
        }
        return YamlRules.ToJson(text) is { } element ? Parse(element) : [];
    }

    /// <summary>Parses rule definitions already read as JSON (e.g. part of a dataset registration).</summary>
    public static IReadOnlyList<RuleDefinition> Parse(JsonElement root)
    {
        var list = root;
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "rules") throw new RuleDefinitionException($"Unknown field '{property.Name}' at the top level; expected 'rules'");
            }
            if (!root.TryGetProperty("rules", out list)) throw new RuleDefinitionException("Expected a list of rules, or an object with a 'rules' list");
            if (list.ValueKind == JsonValueKind.Null) return [];
        }
        if (list.ValueKind != JsonValueKind.Array)
            throw new RuleDefinitionException($"Expected a list of rules, or an object with a 'rules' list, not {Describe(list.ValueKind)}");

        var rules = new List<RuleDefinition>();
        foreach (var element in list.EnumerateArray()) rules.Add(ParseRule(element, rules.Count));
        if (DuplicateNames(rules).FirstOrDefault() is { Message: not null } duplicate) throw new RuleDefinitionException(duplicate.Message, duplicate.Index, rules[duplicate.Index].Name);
        return rules;
    }

    /// <summary>The rules as a JSON array that <see cref="Parse(string)"/> reads back.</summary>
    public static string ToJson(IReadOnlyList<RuleDefinition> rules) => JsonSerializer.Serialize(rules, JsonOptions);

    /// <summary>
    /// Problems of the rules against an expected schema (registration time): invalid definitions, duplicate names, and
    /// columns (including those in expressions, with their position) not among <paramref name="knownColumns"/>.
    /// Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<RuleDefinition> rules, IReadOnlyCollection<string> knownColumns)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(knownColumns);
        var known = knownColumns as ISet<string> ?? new HashSet<string>(knownColumns, StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var own = new List<string>();
            rule.Check(own);
            problems.AddRange(own.Select(problem => $"{Label(i, rule.Name)}: {problem}"));
            if (own.Count > 0) continue;
            if (rule is ExpressionRule expression && ExpressionParser.TryParseCached(expression.Expression, out var parsed, out _))
            {
                foreach (var reference in References(parsed.Root).Where(r => !known.Contains(r.Name)))
                    problems.Add($"{Label(i, rule.Name)}: column '{reference.Name}' (position {reference.Position} of the expression) is not in the schema{Hint(reference.Name, knownColumns)}");
            }
            else
            {
                foreach (var column in rule.ReferencedColumns.Where(c => !known.Contains(c)))
                    problems.Add($"{Label(i, rule.Name)}: column '{column}' is not in the schema{Hint(column, knownColumns)}");
            }
        }
        problems.AddRange(DuplicateNames(rules).Select(d => d.Message));
        return problems;
    }

    private static RuleDefinition ParseRule(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(index, null, $"expected an object with a 'kind', not {Describe(element.ValueKind)}");
        var label = GuessName(element);
        if (!element.TryGetProperty("kind", out var kindElement))
            throw Error(index, label, $"missing 'kind'; expected one of {string.Join(", ", RuleNames.AllKinds)}");
        if (kindElement.ValueKind != JsonValueKind.String || kindElement.GetString() is not { } kind || !KindTypes.TryGetValue(kind, out var type))
            throw Error(index, label, $"unknown kind {(kindElement.ValueKind == JsonValueKind.String ? $"'{kindElement.GetString()}'" : kindElement.GetRawText())}; expected one of {string.Join(", ", RuleNames.AllKinds)}");

        // Settable properties are the fields a definition may have (computed ones such as Kind are JSON-ignored).
        var properties = JsonOptions.GetTypeInfo(type).Properties.Where(p => p.Set is not null).ToList();
        var names = properties.Select(p => p.Name).Append("kind").ToHashSet(StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            if (names.Contains(field.Name)) continue;
            var similar = names.FirstOrDefault(n => string.Equals(n, field.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(n, Camel(field.Name), StringComparison.Ordinal));
            throw Error(index, label, similar is not null
                ? $"unknown field '{field.Name}'; did you mean '{similar}'?"
                : $"unknown field '{field.Name}' for kind {kind}; expected {string.Join(", ", properties.Select(p => p.Name))}");
        }
        foreach (var property in properties.Where(p => p.IsRequired))
        {
            if (!element.TryGetProperty(property.Name, out _)) throw Error(index, label, $"missing '{property.Name}'");
        }

        RuleDefinition rule;
        try
        {
            rule = element.Deserialize<RuleDefinition>(JsonOptions)!;
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var property = properties.FirstOrDefault(p => p.Name == field);
            throw Error(index, label, property is null
                ? $"invalid value: {e.Message}"
                : $"'{field}' must be {Expected(property)}", e);
        }

        var problems = new List<string>();
        rule.Check(problems);
        if (problems.Count > 0)
        {
            var position = rule is ExpressionRule expression && !ExpressionParser.TryParseCached(expression.Expression, out _, out var error) ? error.Position : null;
            throw new RuleDefinitionException($"{Label(index, rule.Name)}: {string.Join("; ", problems)}", index, rule.Name, position);
        }
        return rule;
    }

    private static IEnumerable<(int Index, string Message)> DuplicateNames(IReadOnlyList<RuleDefinition> rules)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            if (first.TryAdd(rules[i].Name, i)) continue;
            yield return (i, $"{Label(i, rules[i].Name)}: the name is already used by rules[{first[rules[i].Name]}]; give one of them a different 'name'");
        }
    }

    private static RuleDefinitionException Error(int index, string? name, string problem, Exception? inner = null) =>
        new($"{Label(index, name)}: {problem}", index, name, inner: inner);

    private static string Label(int index, string? name) => name is null ? $"rules[{index}]" : $"rules[{index}] ('{name}')";

    /// <summary>The rule's name for messages before it is read: its 'name', or kind:column as the default would be.</summary>
    private static string? GuessName(JsonElement element)
    {
        if (element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) return name.GetString();
        if (!element.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String) return null;
        if (element.TryGetProperty("column", out var column) && column.ValueKind == JsonValueKind.String) return $"{kind.GetString()}:{column.GetString()}";
        return kind.GetString();
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
    }

    private static string Expected(JsonPropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(double)) return "a number";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a string";
        if (type.IsEnum)
            return "one of " + string.Join(", ", type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name));
        return property.CustomConverter is ScalarTextListConverter ? "a list of strings, numbers or booleans" : "a list of strings";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Camel(string snake)
    {
        var parts = snake.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? snake : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static string Hint(string column, IReadOnlyCollection<string> known) =>
        known.FirstOrDefault(k => string.Equals(k, column, StringComparison.OrdinalIgnoreCase)) is { } similar ? $"; did you mean '{similar}'?" : "";

    private static IEnumerable<ColumnReference> References(Expr expr) => expr switch
    {
        ColumnReference reference => [reference],
        Negation n => References(n.Operand),
        LogicalNot n => References(n.Operand),
        AbsoluteValue a => References(a.Operand),
        NullTest t => References(t.Operand),
        Binary b => References(b.Left).Concat(References(b.Right)),
        _ => [],
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowOutOfOrderMetadataProperties = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
