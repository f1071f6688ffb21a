using System.Diagnostics;

namespace Vigil.AppHost.Hosting.Processes;

/// <summary>
/// One supervised OS process: its output goes line by line to the log sink, and stopping it sends a polite
/// signal first and kills the whole process tree after the grace period, so nothing outlives the AppHost.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _resource;
    private readonly IResourceLogSink _logs;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string resource, IResourceLogSink logs)
    {
        _process = process;
        _resource = resource;
        _logs = logs;
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    public static ChildProcess Start(ProcessSpec spec, string resource, ResourceContext context)
    {
        // setsid puts the child in its own session (it execs in place, so the pid is the server's own): a Ctrl+C in the
        // terminal then reaches only the AppHost, which stops resources in order instead of all at once.
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = spec.WorkingDirectory ?? context.RepositoryRoot,
        };
        info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in spec.Environment) info.Environment[key] = value;
        info.Environment[InstanceMarker.VariableName] = context.InstanceMarker;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, resource, context.Logs);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._logs.Write(resource, e.Data, isError: false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._logs.Write(resource, e.Data, isError: true); };
        process.Exited += (_, _) => child._exited.TrySetResult(SafeExitCode(process));
        if (!process.Start()) throw new InvalidOperationException($"Could not start {spec.FileName} for {resource}.");
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a short command to completion (setup steps such as initdb), failing with its output if it fails.</summary>
    public static async Task RunToCompletionAsync(ProcessSpec spec, string resource, ResourceContext context, CancellationToken cancellationToken)
    {
        await using var child = Start(spec, resource, context);
        var code = await child.Exited.WaitAsync(cancellationToken);
        if (code != 0)
            throw new ResourceStartException(resource, $"'{spec.FileName} {string.Join(' ', spec.Arguments)}' exited with code {code}.");
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then kills the whole tree.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (_exited.Task.IsCompleted) return;
        PosixSignals.Send(_process.Id, signal);
        try
        {
            await _exited.Task.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _logs.Write(_resource, $"did not stop within {grace.TotalSeconds:0} s; killing its process tree", isError: true);
            Kill();
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
    }

    private static int SafeExitCode(Process process)
    {
        try { return process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted)
        {
            Kill();
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        _process.Dispose();
    }
}
