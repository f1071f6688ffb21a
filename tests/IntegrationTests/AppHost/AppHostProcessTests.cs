using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.AppHost.Resources;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.AppHost;

/// <summary>
/// Runs the AppHost exactly as `dotnet run --project AppHost` does (its own process, console output, signals) and
/// proves that Ctrl+C stops every process it started: the servers, the services, Aspire's orchestrator and dashboard.
/// </summary>
public sealed class AppHostProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Ctrl_C_stops_every_process_the_apphost_started()
    {
        var marker = Guid.NewGuid().ToString("n");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"vigil-apphost-test-{marker[..8]}");
        Directory.CreateDirectory(dataDirectory);
        // Its own process group, like a job in a terminal, so that a Ctrl+C can be sent to the whole group. A terminal's
        // foreground job takes SIGINT with its default action; a suite started as a background job (`./.ci/run &`)
        // passes SIGINT down as ignored, and the AppHost would then never hear the Ctrl+C, so env restores the default.
        // Free ports for the dashboard and (randomized) for the gateway, so it runs beside a developer's own AppHost.
        var info = new ProcessStartInfo("setsid", ["env", "--default-signal=INT", "dotnet", AppHostBuildOutput(), $"--data-dir={dataDirectory}", "--DcpPublisher:RandomizePorts=true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            Environment =
            {
                [InstanceMarker.VariableName] = marker,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
            },
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
            if (e.Data.StartsWith(ReadinessReport.AllHealthyPrefix, StringComparison.Ordinal)) healthy.TrySetResult(clock.Elapsed);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) console.Enqueue("ERR " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var startup = await healthy.Task.WaitAsync(StartTimeout);
            output.WriteLine($"All resources healthy after {startup.TotalSeconds:0.0} s");
            var running = FindProcesses(marker, dataDirectory);
            // postgres, redis, epmd, rabbitmq (+ its Erlang VM), the object store, six services, Aspire's orchestrator and dashboard.
            Assert.True(running.Count >= 13, $"expected the whole app to be running, found {running.Count} processes");
            Assert.Contains(console, line => line.Contains("Login to the dashboard at http://", StringComparison.Ordinal));
            Assert.Contains(console, line => line.StartsWith("Gateway: http://", StringComparison.Ordinal));

            // What Ctrl+C in a terminal does: SIGINT to every process of the foreground group.
            Assert.Equal(0, Kill(-process.Id, Sigint));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, process.ExitCode);

            // Aspire's orchestrator stops the resources as the AppHost exits; give it the time it takes.
            var leftovers = FindProcesses(marker, dataDirectory);
            for (var i = 0; i < 60 && leftovers.Count > 0; i++)
            {
                await Task.Delay(500);
                leftovers = FindProcesses(marker, dataDirectory);
            }
            output.WriteLine($"Everything stopped {clock.Elapsed.TotalSeconds - startup.TotalSeconds:0.0} s after Ctrl+C was sent");
            Assert.True(leftovers.Count == 0, $"processes left behind: {string.Join(", ", leftovers.Select(Describe))}");
        }
        finally
        {
            foreach (var line in console) output.WriteLine(line);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            foreach (var pid in FindProcesses(marker, dataDirectory)) Kill(pid, 9);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private const int Sigint = 2;

    /// <summary>The AppHost's own build output (with its own deps.json), not the copy in this test's folder.</summary>
    private static string AppHostBuildOutput()
    {
        var layout = VigilLayout.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        return Path.Combine(layout.RepositoryRoot, "AppHost", "bin", layout.Configuration, layout.TargetFramework, "Vigil.AppHost.dll");
    }

    /// <summary>
    /// Live processes whose environment carries VIGIL_INSTANCE=marker (inherited by their children), or that run in
    /// <paramref name="dataDirectory"/> (redis-server overwrites its environment with its process title).
    /// </summary>
    private static List<int> FindProcesses(string marker, string dataDirectory)
    {
        var needle = $"{InstanceMarker.VariableName}={marker}";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(needle)
                    || (new FileInfo(Path.Combine(directory, "cwd")).LinkTarget is { } cwd && cwd.StartsWith(dataDirectory, StringComparison.Ordinal)))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not readable: not one of ours.
            }
        }
        return found;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})"; }
        catch (IOException) { return pid.ToString(); }
    }
}
