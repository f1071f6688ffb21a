namespace Vigil.Cli.Arguments;

/// <summary>The conditions that make <c>vigil check --wait</c> exit non-zero.</summary>
[Flags]
public enum FailOn
{
    None = 0,
    /// <summary>The run ended failed (exit 3).</summary>
    Failed = 1,
    /// <summary>At least one record was scored <c>block</c> (exit 1).</summary>
    Block = 2,
    /// <summary>At least one record was scored <c>review</c> (exit 1).</summary>
    Review = 4,
    /// <summary>At least one validation rule failed (exit 1).</summary>
    Rules = 8,
    /// <summary>Validation saw schema drift (exit 1).</summary>
    Drift = 16,
}

public static class FailOnList
{
    public const string Default = "block,failed";

    private static readonly Dictionary<string, FailOn> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["failed"] = FailOn.Failed,
        ["block"] = FailOn.Block,
        ["review"] = FailOn.Review,
        ["rules"] = FailOn.Rules,
        ["drift"] = FailOn.Drift,
        ["none"] = FailOn.None,
    };

    /// <summary>Reads a comma-separated list such as <c>block,failed</c>; an unknown name is a usage error listing the known ones.</summary>
    public static FailOn Parse(string list)
    {
        var result = FailOn.None;
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Names.TryGetValue(name, out var condition))
                throw new UsageException($"--fail-on: '{name}' is not one of {string.Join(", ", Names.Keys)}.");
            result |= condition;
        }
        return result;
    }
}
