using System.Text.RegularExpressions;

namespace Vigil.Ingest.Intake;

/// <summary>Dataset names are lower-case dotted identifiers such as <c>banking.transactions</c>; they become object key segments.</summary>
public static partial class DatasetName
{
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]{0,127}\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name) && !name.Contains("..");
}
