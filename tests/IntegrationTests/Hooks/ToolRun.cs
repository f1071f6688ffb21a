using System.Diagnostics;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>A finished command-line process: its exit code and everything it wrote.</summary>
public sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>), with extra environment variables.</summary>
    public static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end in time; stderr so far: {(stderr.IsCompleted ? stderr.Result : "")}");
        }
        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
