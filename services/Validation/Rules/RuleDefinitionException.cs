namespace Vigil.Validation.Rules;

/// <summary>
/// A rule definition that cannot be used: bad JSON/YAML, an unknown kind, a missing or ill-typed field, an invalid
/// regex or expression. The message says which rule (<c>rules[index] ('name')</c>) and what is wrong.
/// </summary>
public sealed class RuleDefinitionException : Exception
{
    public RuleDefinitionException(string message, int? ruleIndex = null, string? ruleName = null, int? position = null, Exception? inner = null)
        : base(message, inner)
    {
        RuleIndex = ruleIndex;
        RuleName = ruleName;
        Position = position;
    }

    /// <summary>Zero-based index of the rule in its list, when the problem belongs to one rule.</summary>
    public int? RuleIndex { get; }

    public string? RuleName { get; }

    /// <summary>One-based character position in an expression, for expression errors.</summary>
    public int? Position { get; }
}
