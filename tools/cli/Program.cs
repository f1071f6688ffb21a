using Vigil.Cli;
using Vigil.Cli.Commands;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
var output = new CliOutput(Console.Out, Console.Error, Console.OpenStandardOutput);
return await VigilCli.RunAsync(args, Environment.GetEnvironmentVariable, output, interrupted.Token);
