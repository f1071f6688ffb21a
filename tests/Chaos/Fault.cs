namespace Vigil.Chaos;

/// <summary>One fault of the plan: what is done to which resource, and how it is undone.</summary>
public sealed record Fault(string Name, string Resource, FaultKind Kind)
{
    public async Task BeginAsync(IFaultInjector injector, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case FaultKind.Stop: await injector.StopAsync(Resource, cancellationToken); break;
            case FaultKind.Kill: await injector.KillAsync(Resource, cancellationToken); break;
            case FaultKind.Stall: await injector.PauseAsync(Resource, cancellationToken); break;
        }
    }

    public Task EndAsync(IFaultInjector injector, CancellationToken cancellationToken) =>
        Kind == FaultKind.Stall ? injector.ResumeAsync(Resource, cancellationToken) : injector.StartAsync(Resource, cancellationToken);

    /// <summary>The faults of a chaos run, one at a time: the broker, the database, a service mid-batch, a hung cache.</summary>
    public static IReadOnlyList<Fault> Standard { get; } =
    [
        new("RabbitMQ stopped", "rabbitmq", FaultKind.Stop),
        new("Postgres killed", "postgres", FaultKind.Kill),
        new("Scoring killed mid-batch", "scoring", FaultKind.Kill),
        new("Redis stalled (SIGSTOP)", "redis", FaultKind.Stall),
        new("Validation killed mid-batch", "validation", FaultKind.Kill),
    ];
}

public enum FaultKind { Stop, Kill, Stall }
