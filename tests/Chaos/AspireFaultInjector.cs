using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Chaos;

/// <summary>Faults through the test's own Aspire application: its stop/start commands, and signals to the processes it started.</summary>
public sealed class AspireFaultInjector(DistributedApplication app) : IFaultInjector
{
    /// <summary>Generous: on a loaded 2-core machine a service with a backlog of batches can take minutes to answer its health check.</summary>
    private static readonly TimeSpan UpWithin = TimeSpan.FromMinutes(4);

    private const int StartAttempts = 3;

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

    /// <summary>
    /// Starts the resource again and waits until it is healthy. A start the orchestrator could not carry out (seen once on
    /// a machine at load average 27: the process never launched) is tried again, as Kubernetes would restart a pod, up to
    /// <see cref="StartAttempts"/> times; the fault is only undone once the resource is healthy.
    /// </summary>
    public async Task StartAsync(string resource, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await app.ResourceCommands.ExecuteCommandAsync(Named(resource), KnownResourceCommands.StartCommand, cancellationToken);
            if (!result.Success) throw new InvalidOperationException($"Starting {resource} failed: {result.Message}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(UpWithin);
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
                return;
            }
            catch (DistributedApplicationException e) when (attempt < StartAttempts)
            {
                Console.WriteLine($"Chaos: {resource} did not start (attempt {attempt} of {StartAttempts}: {e.Message}); starting it again");
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (DistributedApplicationException e)
            {
                throw new InvalidOperationException($"{resource} did not start in {StartAttempts} attempts: {e.Message}", e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{resource} was not healthy {UpWithin.TotalMinutes:0} min after its start; its /health now: {await HealthAsync(resource, cancellationToken)}");
            }
        }
    }

    /// <summary>What a service's own /health answers (a server resource has none: its state says enough).</summary>
    private async Task<string> HealthAsync(string resource, CancellationToken cancellationToken)
    {
        if (!ChaosApp.Services.Contains(resource)) return "(not a service)";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await client.GetAsync(new Uri(app.GetEndpoint(resource, "http"), "/health"), cancellationToken);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"no answer ({e.Message})";
        }
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
