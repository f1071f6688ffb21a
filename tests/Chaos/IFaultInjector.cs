namespace Vigil.Chaos;

/// <summary>What the chaos run can do to the processes its own AppHost started, by resource name.</summary>
public interface IFaultInjector
{
    /// <summary>Stops the resource as an operator would, and waits until it is down.</summary>
    Task StopAsync(string resource, CancellationToken cancellationToken);

    /// <summary>Kills the resource's process outright (SIGKILL), mid-work, and waits until it is down.</summary>
    Task KillAsync(string resource, CancellationToken cancellationToken);

    /// <summary>Starts a stopped or killed resource again, and waits until it is healthy.</summary>
    Task StartAsync(string resource, CancellationToken cancellationToken);

    /// <summary>Stalls the resource's process (SIGSTOP): it keeps its sockets open and answers nothing.</summary>
    Task PauseAsync(string resource, CancellationToken cancellationToken);

    /// <summary>Lets a stalled process run again (SIGCONT).</summary>
    Task ResumeAsync(string resource, CancellationToken cancellationToken);
}
