using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;
using Vigil.AppHost.Hosting.Processes;

namespace Vigil.IntegrationTests.AppHost;

/// <summary>
/// Runs the AppHost exactly as `dotnet run --project AppHost` does (its own process, console output, signals) and
/// proves that Ctrl+C stops every process it started.
/// </summary>
public sealed class AppHostProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Ctrl_C_stops_every_process_the_apphost_started()
    {
        var marker = Guid.NewGuid().ToString("n");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"vigil-apphost-test-{marker[..8]}");
        Directory.CreateDirectory(dataDirectory);
        var appHost = AppHostBuildOutput();
        // Its own process group, like a job in a terminal, so that a Ctrl+C can be sent to the whole group.
        var info = new ProcessStartInfo("setsid", ["dotnet", appHost, "--data-dir", dataDirectory, "--free-ports"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            Environment = { [InstanceMarker.VariableName] = marker },
        };
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var healthy = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            console.Enqueue(e.Data);
            if (e.Data.StartsWith("All resources healthy", StringComparison.Ordinal)) healthy.TrySetResult(clock.Elapsed);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) console.Enqueue("ERR " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var startup = await healthy.Task.WaitAsync(StartTimeout);
            output.WriteLine($"All resources healthy after {startup.TotalSeconds:0.0} s");
            var running = InstanceMarker.FindProcesses(marker);
            // postgres, redis, epmd, rabbitmq (+ its Erlang VM), moto and six projects at least.
            Assert.True(running.Count >= 11, $"expected the whole app to be running, found {running.Count} processes");
            Assert.Contains(console, line => line.StartsWith("gateway", StringComparison.Ordinal) && line.Contains("http://127.0.0.1:"));

            // What Ctrl+C in a terminal does: SIGINT to every process of the foreground group.
            Assert.Equal(0, Kill(-process.Id, Sigint));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Equal(0, process.ExitCode);
            var leftovers = InstanceMarker.FindProcesses(marker).Where(pid => pid != process.Id).ToList();
            Assert.True(leftovers.Count == 0, $"processes left behind: {string.Join(", ", leftovers.Select(Describe))}");
        }
        finally
        {
            foreach (var line in console) output.WriteLine(line);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            foreach (var pid in InstanceMarker.FindProcesses(marker)) Kill(pid, 9);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private const int Sigint = 2;

    /// <summary>The AppHost's own build output (with its own deps.json), not the copy in this test's folder.</summary>
    private static string AppHostBuildOutput()
    {
        var options = new Vigil.AppHost.Hosting.AppHostOptions();
        var configuration = typeof(AppHostProcessTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
        return Path.Combine(options.RepositoryRoot, "AppHost", "bin", configuration, "net10.0", "Vigil.AppHost.dll");
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})"; }
        catch (IOException) { return pid.ToString(); }
    }
}
