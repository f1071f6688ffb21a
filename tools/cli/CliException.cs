namespace Vigil.Cli;

/// <summary>A reason to stop with a given exit code and one line of explanation on stderr.</summary>
public class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The command line cannot be understood; usage help follows the message.</summary>
public sealed class UsageException(string message) : CliException(ExitCodes.Usage, message);
