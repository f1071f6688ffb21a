using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Validation.Rules;

/// <summary>
/// Reads YAML rule definitions into the JSON shape the JSON path reads, so both formats share one set of checks and
/// messages. Plain scalars follow the YAML core schema (null, true/false, integers, floats); quoted scalars stay text.
/// </summary>
internal static partial class YamlRules
{
    // Aliases can repeat a node many times over ("billion laughs"); a rule set never needs this many.
    private const int MaxNodes = 100_000;

    // An alias inside its own anchor ("&a [*a]") makes a cycle; rules nest a few levels at most.
    private const int MaxDepth = 32;

    public static JsonElement? ToJson(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RuleDefinitionException($"Invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Reason(e)}", inner: e);
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1) throw new RuleDefinitionException("Invalid YAML: expected one document, found several ('---')");
        var nodes = 0;
        var json = Convert(stream.Documents[0].RootNode, ref nodes, depth: 0);
        return json is null ? null : JsonSerializer.SerializeToElement(json);
    }

    private static string Reason(YamlException e) =>
        e.InnerException is YamlException inner ? inner.Message : e.Message;

    private static JsonNode? Convert(YamlNode node, ref int nodes, int depth)
    {
        if (++nodes > MaxNodes) throw new RuleDefinitionException($"Invalid YAML: more than {MaxNodes} values (aliases expanding too far?)");
        if (depth > MaxDepth)
            throw new RuleDefinitionException($"Invalid YAML at line {node.Start.Line}, column {node.Start.Column}: nested more than {MaxDepth} levels deep (an alias inside its own anchor?)");
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                        throw new RuleDefinitionException($"Invalid YAML at line {key.Start.Line}, column {key.Start.Column}: keys must be plain names");
                    if (obj.ContainsKey(name))
                        throw new RuleDefinitionException($"Invalid YAML at line {key.Start.Line}, column {key.Start.Column}: the key '{name}' appears twice");
                    obj[name] = Convert(value, ref nodes, depth + 1);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children) array.Add(Convert(item, ref nodes, depth + 1));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new RuleDefinitionException($"Invalid YAML at line {node.Start.Line}, column {node.Start.Column}: unsupported node");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntegerText().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (FloatText().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatText();
}
