namespace Vigil.Contracts;

/// <summary>A stage could not finish the run; <see cref="Reason"/> is meant for the person reading the run.</summary>
public sealed record RunFailed : IRunEvent
{
    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required string Stage { get; init; }
    public required string Reason { get; init; }
    public required StageTiming Timing { get; init; }

    /// <summary>Reports the failing stage still wrote (e.g. the validation report listing blocking drift): kind -> object key.</summary>
    public IReadOnlyDictionary<string, string> ReportKeys { get; init; } = new Dictionary<string, string>();
}
