using System.Diagnostics;
using System.Text.RegularExpressions;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// Takes a backing server (postgres, rabbitmq, redis, objectstore) away and brings it back: stopped and started through
/// the application's own resource commands, or every process of the server suspended (SIGSTOP), which the services see
/// as a server that accepts connections but never answers, and resumed (SIGCONT) when disposed.
/// Only processes listening on the port this test's application gave the server are touched.
/// </summary>
internal sealed partial class ServerFaults : IAsyncDisposable
{
    private readonly VigilAppFixture _fixture;
    private readonly string _name;
    private readonly IReadOnlyList<int> _suspended;

    private ServerFaults(VigilAppFixture fixture, string name, IReadOnlyList<int> suspended)
    {
        _fixture = fixture;
        _name = name;
        _suspended = suspended;
    }

    /// <summary>How the server was taken away: "stopped" or "suspended".</summary>
    public string How => _suspended.Count == 0 ? "stopped" : "suspended";

    public static async Task<ServerFaults> StopAsync(VigilAppFixture fixture, string name)
    {
        await fixture.StopResourceAsync(name);
        return new ServerFaults(fixture, name, []);
    }

    /// <summary>Suspends the server's processes (SIGSTOP): a hung server, whatever the harness can do.</summary>
    public static ServerFaults Suspend(VigilAppFixture fixture, string name)
    {
        var listener = ListenerPid(PortOf(fixture.GetConnectionString(name)));
        var processes = new List<int> { listener };
        processes.AddRange(Descendants(listener));
        foreach (var pid in processes) Signal("STOP", pid);
        return new ServerFaults(fixture, name, processes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_suspended.Count == 0)
        {
            await _fixture.StartResourceAsync(_name);
            return;
        }
        foreach (var pid in _suspended) Signal("CONT", pid);
    }

    public static int PortOf(string connectionString)
    {
        var match = PortSetting().Match(connectionString);
        if (!match.Success) match = HostPort().Match(connectionString);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No port in '{connectionString}'.");
    }

    /// <summary>The process listening on 127.0.0.1:<paramref name="port"/>, from <c>ss -ltnp</c>.</summary>
    public static int ListenerPid(int port)
    {
        var listing = Run("ss", $"-Hltnp sport = :{port}");
        var pid = PidInListing().Match(listing);
        return pid.Success ? int.Parse(pid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No process listens on port {port}: {listing}");
    }

    private static IEnumerable<int> Descendants(int parent)
    {
        foreach (var child in Run("pgrep", $"-P {parent}").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var pid = int.Parse(child.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            yield return pid;
            foreach (var grandchild in Descendants(pid)) yield return grandchild;
        }
    }

    private static void Signal(string signal, int pid) => Run("kill", $"-{signal} {pid}");

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    [GeneratedRegex(@"Port=(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex PortSetting();

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)")]
    private static partial Regex HostPort();

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidInListing();
}
