namespace Vigil.Cli;

/// <summary>
/// What the process exit code tells a pipeline. Each outcome has its own code, so a scheduler can tell "the data is bad"
/// (1, 3) from "Vigil could not be asked" (4, 5, 6) and from a mistake in the task's own command line (2).
/// </summary>
public static class ExitCodes
{
    /// <summary>The verdict holds none of the --fail-on conditions (or the command had nothing to judge).</summary>
    public const int Passed = 0;

    /// <summary>The run ended, and its verdict holds a --fail-on condition about the data (block, review, rules, drift).</summary>
    public const int Blocked = 1;

    /// <summary>The command line is wrong: unknown command or option, missing value, unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>The run ended <c>failed</c> (and --fail-on names <c>failed</c>): the stage and reason are printed.</summary>
    public const int RunFailed = 3;

    /// <summary>Vigil answered with a problem (4xx): unknown dataset, invalid key or scope, refused body, missing report.</summary>
    public const int Rejected = 4;

    /// <summary>Vigil could not be reached or was unavailable (connection refused, DNS, 5xx, 503 with Retry-After).</summary>
    public const int Unreachable = 5;

    /// <summary>--wait gave up: the run had not ended within --timeout.</summary>
    public const int TimedOut = 6;
}
