using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Vigil.AppHost.Resources;

/// <summary>Runs a short provisioning command (apt-get, initdb, chown) to completion, its output in the resource's log.</summary>
internal static class ToolProcess
{
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, ILogger log, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log.LogInformation("{Line}", line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log.LogWarning("{Line}", line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', info.ArgumentList)}' exited with {process.ExitCode}.");
    }

    /// <summary>The same command run as <paramref name="user"/> when we are root (postgres and rabbitmq refuse root).</summary>
    public static (string FileName, string[] Arguments) AsUser(string? user, string fileName, params string[] arguments) =>
        user is not null && Environment.UserName == "root"
            ? ("setpriv", ["--reuid", user, "--regid", user, "--init-groups", "--", fileName, .. arguments])
            : (fileName, arguments);

    public static Task ChownAsync(string user, ILogger log, CancellationToken cancellationToken, params string[] paths) =>
        Environment.UserName == "root" ? RunAsync("chown", ["-R", $"{user}:{user}", .. paths], log, cancellationToken) : Task.CompletedTask;
}
