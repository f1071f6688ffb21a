using MassTransit;
using Vigil.Contracts;
using Vigil.Scoring.Lifecycle;
using Vigil.Scoring.Models;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Memory;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Scoring.Consumers;

/// <summary>
/// Scores a validated batch (<see cref="BatchScorer"/>), writes its reports (<see cref="ScoringReportWriter"/>) and
/// publishes BatchScored; a batch with nothing to score completes with the reason, one that cannot be scored fails.
/// </summary>
public sealed partial class BatchValidatedConsumer(BatchScorer scorer, ScoringReportWriter reports, IdleMemoryRelease memory, ILogger<BatchValidatedConsumer> logger)
    : IConsumer<BatchValidated>
{
    private const int TopAnomalyCount = 5;

    public async Task Consume(ConsumeContext<BatchValidated> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;
        var token = context.CancellationToken;
        using var timings = ScoringTimings.Begin();
        batch.ReportKeys.TryGetValue(ReportKinds.Defects, out var defectsKey);
        var record = new BatchRecord(batch.RunId, batch.Dataset, batch.ExecutionDate, batch.ObjectKey, batch.ContentType, batch.CsvDelimiter,
            batch.KeyColumns, defectsKey, batch.RowCount)
        { ColumnsKey = batch.ColumnsKey };

        var clock = new StepClock();
        var outcome = await scorer.ScoreAsync(record, clock, token);
        if (outcome is BatchScoring.Skipped skipped)
        {
            await context.PublishBoundedAsync(Skipped(batch, skipped, started));
            return;
        }
        if (outcome is BatchScoring.Failed failed)
        {
            await context.PublishBoundedAsync(new RunFailed
            {
                RunId = batch.RunId,
                Dataset = batch.Dataset,
                Stage = Stages.Score,
                Reason = failed.Reason,
                Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow),
                ReportKeys = batch.ReportKeys,
            });
            return;
        }

        var scored = (BatchScoring.Scored)outcome;
        await context.GetServiceOrCreateInstance<ModelLifecycle>().AfterScoringAsync(batch.Dataset, batch.RunId, timings, token);
        clock.Lap("lifecycle");
        var written = await reports.WriteAsync(batch.Dataset, batch.RunId, batch.KeyColumns, scored, token);
        clock.Lap("reports");
        LogScored(logger, batch.RunId, scored.Table.RowCount, scored.Anomalies.Count, scored.Version ?? 0, clock.TotalMilliseconds, clock.ToString());

        await context.PublishBoundedAsync(new BatchScored
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            ExecutionDate = batch.ExecutionDate,
            RowCount = scored.Table.RowCount,
            AnomalyCount = scored.Anomalies.Count,
            DecisionCounts = scored.Scores.DecisionCounts(),
            FeatureDrift = scored.Drift,
            TopAnomalies = [.. scored.Anomalies.OrderByDescending(a => a.Risk).Take(TopAnomalyCount)
                .Select(a => new ScoredAnomaly(a.Row, a.Key, a.Risk, a.Decision, a.TopFeatures))],
            ModelVersion = scored.Version is { } version ? $"v{version}" : null,
            Device = scored.Device,
            ReportKey = written[ReportKinds.Anomalies],
            ReportKeys = WithReports(batch.ReportKeys, written),
            DqScore = batch.DqScore,
            RulesFailed = batch.RulesFailed,
            HasBreakingDrift = batch.HasBreakingDrift,
            Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow, scored.Table.RowCount, Environment.WorkingSet),
        });
        memory.AfterWork();
    }

    /// <summary>A batch with nothing to score completes its run; the device line says why it was not scored.</summary>
    private static BatchScored Skipped(BatchValidated batch, BatchScoring.Skipped skipped, DateTimeOffset started) => new()
    {
        RunId = batch.RunId,
        Dataset = batch.Dataset,
        ExecutionDate = batch.ExecutionDate,
        RowCount = skipped.Rows,
        AnomalyCount = 0,
        Device = skipped.Reason,
        ReportKeys = batch.ReportKeys,
        DqScore = batch.DqScore,
        RulesFailed = batch.RulesFailed,
        HasBreakingDrift = batch.HasBreakingDrift,
        Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow, skipped.Rows, Environment.WorkingSet),
    };

    private static Dictionary<string, string> WithReports(IReadOnlyDictionary<string, string> keys, IReadOnlyDictionary<string, string> written)
    {
        var all = new Dictionary<string, string>(keys);
        foreach (var (kind, key) in written) all[kind] = key;
        return all;
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} scored: {Rows} rows, {Anomalies} anomalies (model version {Version}; 0 = none) in {Milliseconds:0} ms: {Steps}")]
    private static partial void LogScored(ILogger logger, Guid runId, int rows, int anomalies, int version, double milliseconds, string steps);
}
