using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>A backing server run as private child processes on a free loopback port.</summary>
public abstract class ServerResource(string name) : Resource(name)
{
    private readonly List<ChildProcess> _processes = [];

    public int Port { get; private protected set; }

    /// <summary>Completes when any of the resource's processes exits; a health wait gives up early on it.</summary>
    private protected Task AnyProcessExited => _processes.Count == 0 ? Task.CompletedTask : Task.WhenAny(_processes.Select(p => p.Exited));

    /// <summary>Signal that asks this server for a clean, prompt shutdown.</summary>
    private protected virtual int StopSignal => PosixSignals.SIGTERM;

    private protected ChildProcess Launch(ProcessSpec spec, ResourceContext context)
    {
        var process = ChildProcess.Start(spec, Name, context);
        _processes.Add(process);
        return process;
    }

    internal override async Task StopAsync(TimeSpan grace)
    {
        // Last started, first stopped: helpers such as epmd outlive the server that uses them.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].StopAsync(StopSignal, grace);
            await _processes[i].DisposeAsync();
        }
        _processes.Clear();
    }

    private protected static Task ChownAsync(string user, string resource, ResourceContext context, CancellationToken token, params string[] paths) =>
        PosixSignals.IsRoot
            ? ChildProcess.RunToCompletionAsync(new ProcessSpec("chown", ["-R", $"{user}:{user}", .. paths]), resource, context, token)
            : Task.CompletedTask;
}
