using Vigil.Cli.Arguments;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>Parses, runs one command, and turns every outcome into an exit code with its reason on stderr.</summary>
public static class VigilCli
{
    /// <param name="connect">Makes the API client; tests hand in one over a fake handler.</param>
    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, CliOutput output, CancellationToken cancellationToken,
        Func<Connection, VigilApi>? connect = null)
    {
        CliCommand command;
        try
        {
            command = CommandLine.Parse(args, environment);
        }
        catch (UsageException e)
        {
            output.Error.WriteLine($"vigil: {e.Message}");
            output.Error.WriteLine(Usage.Text);
            return ExitCodes.Usage;
        }
        if (command is HelpCommand)
        {
            output.Out.WriteLine(Usage.Text);
            return ExitCodes.Passed;
        }

        using var api = (connect ?? VigilApi.For)(command.Connection);
        try
        {
            return command switch
            {
                CheckCommand check => await CheckRunner.RunAsync(check, api, output, cancellationToken),
                RunsCommand runs => await RunsRunner.RunAsync(runs, api, output, cancellationToken),
                ReportCommand report => await ReportRunner.RunAsync(report, api, output, cancellationToken),
                _ => throw new UsageException($"'{args[0]}' has no runner."),
            };
        }
        catch (CliException e)
        {
            output.Error.WriteLine($"vigil: {e.Message}");
            return e.ExitCode;
        }
    }
}
