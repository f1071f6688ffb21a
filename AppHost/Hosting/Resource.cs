namespace Vigil.AppHost.Hosting;

/// <summary>
/// Something the AppHost starts and supervises: a backing server or one of our projects.
/// Subclasses say how to start it and how to tell it is healthy; the orchestration is shared.
/// </summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Resources whose connection info this one receives.</summary>
    public List<Resource> References { get; } = [];

    public ResourceState State { get; internal set; } = ResourceState.NotStarted;

    /// <summary>Why the resource failed, when <see cref="State"/> is <see cref="ResourceState.Failed"/>.</summary>
    public string? FailureReason { get; internal set; }

    public abstract string Kind { get; }

    /// <summary>Address a person can open or connect to, once running.</summary>
    public abstract string? Url { get; }

    internal abstract Task StartAsync(ResourceContext context, CancellationToken cancellationToken);

    internal abstract Task WaitHealthyAsync(CancellationToken cancellationToken);

    internal abstract Task StopAsync(TimeSpan grace);
}

public enum ResourceState { NotStarted, Starting, Running, Stopping, Stopped, Failed }
