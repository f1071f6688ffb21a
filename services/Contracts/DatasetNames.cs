using System.Text.RegularExpressions;

namespace Vigil.Contracts;

/// <summary>
/// Dataset names are lower-case dotted identifiers such as <c>banking.transactions</c>. Every message's Dataset follows
/// this rule, and names become object-key segments, so the rule lives with the contracts.
/// </summary>
public static partial class DatasetNames
{
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]{0,127}\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name) && !name.Contains("..");
}
