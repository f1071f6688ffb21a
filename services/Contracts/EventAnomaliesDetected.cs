namespace Vigil.Contracts;

/// <summary>
/// Scoring found anomalous events in one micro-batch of a dataset's event stream (published only when it found some).
/// <see cref="DecisionCounts"/> counts the micro-batch's events per decision, so rates can be judged as for batches.
/// </summary>
public sealed record EventAnomaliesDetected
{
    public required Guid BatchId { get; init; }
    public required string Dataset { get; init; }
    public required long EventCount { get; init; }
    public required long AnomalyCount { get; init; }
    public IReadOnlyDictionary<string, long> DecisionCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>The highest-risk events (a handful): key values, risk, decision and the features that made them stand out.</summary>
    public IReadOnlyList<ScoredAnomaly> TopAnomalies { get; init; } = [];

    /// <summary>"v3" when the dataset's active model scored them; null when the rolling z-score alone decided.</summary>
    public string? ModelVersion { get; init; }
    public required DateTimeOffset ScoredAt { get; init; }
}
