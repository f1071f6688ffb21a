namespace Vigil.Cli.Arguments;

/// <summary>Where Vigil's gateway is and which API key to send (X-Api-Key).</summary>
public sealed record Connection(Uri Url, string? ApiKey);

/// <summary>One parsed command line.</summary>
public abstract record CliCommand(Connection Connection, bool Json);

public sealed record HelpCommand() : CliCommand(new Connection(CommandLine.DefaultUrl, null), false);

/// <summary><c>vigil check</c>: submit a batch (or a source/target pair) and, with --wait, judge its verdict.</summary>
public sealed record CheckCommand(
    Connection Connection, bool Json, string Dataset, string File, string? Source, DateOnly? ExecutionDate, string? IdempotencyKey,
    bool Rerun, string? CallbackUrl, bool Wait, FailOn FailOn, TimeSpan Timeout) : CliCommand(Connection, Json);

/// <summary><c>vigil runs</c>: recent runs, newest first.</summary>
public sealed record RunsCommand(Connection Connection, bool Json, string? Dataset, string? Status, int Limit) : CliCommand(Connection, Json);

/// <summary><c>vigil report RUNID</c>: the run's reports, or one of them (--kind) on stdout or into --output.</summary>
public sealed record ReportCommand(Connection Connection, bool Json, Guid RunId, string? Kind, string? Output) : CliCommand(Connection, Json);
