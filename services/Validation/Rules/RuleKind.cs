using System.Text.Json.Serialization;

namespace Vigil.Validation.Rules;

/// <summary>What a rule checks; written in JSON as the snake_case <c>kind</c> discriminator.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleKind>))]
public enum RuleKind
{
    [JsonStringEnumMemberName("not_null")] NotNull,
    [JsonStringEnumMemberName("unique")] Unique,
    [JsonStringEnumMemberName("range")] Range,
    [JsonStringEnumMemberName("pattern")] Pattern,
    [JsonStringEnumMemberName("allowed_values")] AllowedValues,
    [JsonStringEnumMemberName("max_length")] MaxLength,
    [JsonStringEnumMemberName("type")] Type,
    [JsonStringEnumMemberName("freshness")] Freshness,
    [JsonStringEnumMemberName("row_count")] RowCount,
    [JsonStringEnumMemberName("expression")] Expression,
}

/// <summary>An error fails the batch's validation; a warning is reported but does not.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleSeverity>))]
public enum RuleSeverity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}

/// <summary>The type a <see cref="TypeRule"/> expects every value's text to parse as.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExpectedType>))]
public enum ExpectedType
{
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("decimal")] Decimal,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("timestamp")] Timestamp,
    [JsonStringEnumMemberName("string")] String,
}

/// <summary>The snake_case names used in rule definitions and reports.</summary>
public static class RuleNames
{
    private static readonly Dictionary<RuleKind, string> KindNames = new()
    {
        [RuleKind.NotNull] = "not_null",
        [RuleKind.Unique] = "unique",
        [RuleKind.Range] = "range",
        [RuleKind.Pattern] = "pattern",
        [RuleKind.AllowedValues] = "allowed_values",
        [RuleKind.MaxLength] = "max_length",
        [RuleKind.Type] = "type",
        [RuleKind.Freshness] = "freshness",
        [RuleKind.RowCount] = "row_count",
        [RuleKind.Expression] = "expression",
    };

    public static IReadOnlyList<string> AllKinds { get; } = [.. KindNames.Values];

    public static string Of(RuleKind kind) => KindNames[kind];

    public static string Of(ExpectedType type) => type.ToString().ToLowerInvariant();
}
