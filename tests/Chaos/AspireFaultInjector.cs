using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Chaos;

/// <summary>Faults through the test's own Aspire application: its stop/start commands, and signals to the processes it started.</summary>
public sealed class AspireFaultInjector(DistributedApplication app) : IFaultInjector
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromMinutes(2);

    public async Task StopAsync(string resource, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(Named(resource), KnownResourceCommands.StopCommand, cancellationToken);
        if (!result.Success) throw new InvalidOperationException($"Stopping {resource} failed: {result.Message}");
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken);
    }

    public async Task KillAsync(string resource, CancellationToken cancellationToken)
    {
        ProcessTree.Signal(ProcessId(resource), ProcessTree.SigKill);
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken);
    }

    public async Task StartAsync(string resource, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(Named(resource), KnownResourceCommands.StartCommand, cancellationToken);
        if (!result.Success) throw new InvalidOperationException($"Starting {resource} failed: {result.Message}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(UpWithin);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    public Task PauseAsync(string resource, CancellationToken cancellationToken)
    {
        ProcessTree.Signal(ProcessId(resource), ProcessTree.SigStop);
        return Task.CompletedTask;
    }

    public Task ResumeAsync(string resource, CancellationToken cancellationToken)
    {
        ProcessTree.Signal(ProcessId(resource), ProcessTree.SigCont);
        return Task.CompletedTask;
    }

    private int ProcessId(string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state))
            throw new InvalidOperationException($"{resource} has no state yet.");
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        return pid is null ? throw new InvalidOperationException($"{resource} reports no process id.") : Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    private IResource Named(string resource) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
}
