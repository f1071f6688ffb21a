using System.Text.Json;

namespace Vigil.Scoring.Storage;

/// <summary>A model version in the registry; <see cref="TrainedFrom"/> is the first of the runs it was trained on.</summary>
public sealed record ModelRecord(string Dataset, int Version, string Status, string ArtefactKey, JsonElement Metrics, Guid TrainedFrom,
    DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt, IReadOnlyList<Guid> TrainedFromRuns);

/// <summary>A validated batch as Scoring remembers it, to read it again for training.</summary>
public sealed record BatchRecord(Guid RunId, string Dataset, DateOnly ExecutionDate, string ObjectKey, string ContentType, char CsvDelimiter,
    IReadOnlyList<string> KeyColumns, string? DefectsKey, long RowCount)
{
    /// <summary>The typed columns Validation left next to the raw object (null: none), read instead of parsing it again.</summary>
    public string? ColumnsKey { get; init; }
}

/// <summary>One stored anomaly.</summary>
public sealed record AnomalyRecord(long Row, int ModelVersion, IReadOnlyDictionary<string, string?> Key, double Risk, string Decision, IReadOnlyList<string> TopFeatures);

/// <summary>One scoring of a run: by the active model (primary) or a model under test (shadow).</summary>
public sealed record ScoreRecord(Guid RunId, int ModelVersion, string Role, IReadOnlyDictionary<string, long> DecisionCounts, long AnomalyCount,
    IReadOnlyDictionary<string, double> FeatureDrift);
