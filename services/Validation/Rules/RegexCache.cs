using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Vigil.Validation.Rules;

/// <summary>
/// Compiles each pattern once: linear-time <see cref="RegexOptions.NonBacktracking"/> where the pattern allows it,
/// otherwise a compiled backtracking regex; both with a per-value match timeout.
/// </summary>
internal static class RegexCache
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    // Keyed by the pattern string instance that a rule holds, so the compiled form lives as long as the rule does.
    private static readonly ConditionalWeakTable<string, Regex> Compiled = [];

    public static bool TryGet(string pattern, [NotNullWhen(true)] out Regex? regex, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (Compiled.TryGetValue(pattern, out regex)) return true;
        try
        {
            regex = Create(pattern);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
        Compiled.AddOrUpdate(pattern, regex);
        return true;
    }

    private static Regex Create(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds and atomic groups need the backtracking engine; the timeout bounds it.
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
        }
    }
}
