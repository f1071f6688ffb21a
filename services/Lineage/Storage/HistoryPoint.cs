namespace Vigil.Lineage.Storage;

/// <summary>One run of a dataset as a point of its KPI trend: DQ score, rows, anomalies and their rate.</summary>
public sealed record HistoryPoint(Guid RunId, DateOnly? ExecutionDate, string Status, double? DqScore, long? RowCount, long? AnomalyCount,
    double? AnomalyRate, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt)
{
    public static HistoryPoint Create(Guid runId, DateOnly? executionDate, string status, double? dqScore, long? rowCount, long? anomalyCount,
        DateTimeOffset startedAt, DateTimeOffset? completedAt) =>
        new(runId, executionDate, status, dqScore, rowCount, anomalyCount, AnomalyRateOf(anomalyCount, rowCount), startedAt, completedAt);

    /// <summary>Anomalous records per record, 0..1 (six decimals); null until the run was scored or when it had no rows.</summary>
    public static double? AnomalyRateOf(long? anomalies, long? rows) =>
        anomalies is { } a && rows is > 0 ? Math.Round((double)a / rows.Value, 6) : null;
}

/// <summary>A dataset's KPI history, oldest point first.</summary>
public sealed record DatasetHistory(string Dataset, DateOnly? From, DateOnly? To, int Limit, IReadOnlyList<HistoryPoint> Points);
