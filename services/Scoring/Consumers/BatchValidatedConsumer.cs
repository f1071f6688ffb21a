using System.Globalization;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using MassTransit;
using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Models;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Tabular.Tables;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Consumers;

/// <summary>
/// Scores a validated batch with the dataset's active model (or, without one, the statistical detector fitted on the
/// batch itself, and the run says so), stores the anomalies, writes the anomaly report and every row's score
/// (scores.csv) and publishes BatchScored.
/// </summary>
public sealed partial class BatchValidatedConsumer(
    ScoringStore store, ModelRegistry models, ScoringEngines engines, BatchLoader loader, IAmazonS3 s3, ObjectStoreOptions objects,
    Microsoft.Extensions.Options.IOptions<ScoringOptions> options, ILogger<BatchValidatedConsumer> logger)
    : IConsumer<BatchValidated>
{
    private const int TopAnomalyCount = 5;

    public async Task Consume(ConsumeContext<BatchValidated> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;
        var token = context.CancellationToken;
        batch.ReportKeys.TryGetValue(ReportKinds.Defects, out var defectsKey);
        await store.RememberBatchAsync(new BatchRecord(batch.RunId, batch.Dataset, batch.ExecutionDate, batch.ObjectKey, batch.ContentType,
            batch.CsvDelimiter, batch.KeyColumns, defectsKey, batch.RowCount), token);

        var table = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, token);
        if (ScoringSkip.Reason(table, batch.KeyColumns) is { } skipped)
        {
            await context.Publish(Skipped(batch, table.RowCount, skipped, started));
            return;
        }
        var active = await models.ActiveAsync(batch.Dataset, token);
        EnsembleScores scores;
        string device;
        IReadOnlyDictionary<string, double> drift = new Dictionary<string, double>();
        try
        {
            if (active is { } model)
            {
                var features = model.Model.Pipeline.Transform(table);
                (scores, device) = await ScoreAsync(batch.Dataset, model.Version, model.Model, features, token);
                drift = model.Model.Reference?.Psi(features) ?? drift;
            }
            else
            {
                var fallback = BatchFallbackScorer.Score(table, batch.KeyColumns);
                scores = fallback.Scores;
                device = engines.ManagedDevice(fallback.Basis);
            }
        }
        catch (Exception e) when (e is FeaturePipelineException or UploadedModelUnavailableException)
        {
            await context.Publish(new RunFailed
            {
                RunId = batch.RunId,
                Dataset = batch.Dataset,
                Stage = Stages.Score,
                Reason = e switch
                {
                    FeaturePipelineException when active is null => $"Scoring without a model: {e.Message}",
                    FeaturePipelineException => $"The batch does not fit model v{active?.Version}: {e.Message}",
                    _ => $"Model v{active?.Version}: {e.Message}",
                },
                Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow),
                ReportKeys = batch.ReportKeys,
            });
            return;
        }

        var version = active?.Version ?? 0;
        var anomalies = await StoreAsync(batch.RunId, version, "primary", table, batch.KeyColumns, scores, drift, token);
        if (active is not null && options.Value.InShadowShare(batch.RunId)) await ShadowScoreAsync(batch, table, token);

        var reportKey = $"reports/{batch.Dataset}/{batch.RunId}/anomalies.csv";
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = objects.Bucket, Key = reportKey, ContentType = "text/csv", ContentBody = AnomalyCsv(anomalies, batch.KeyColumns),
        }, token);
        var scoresKey = ScoresReport.Key(batch.Dataset, batch.RunId);
        using (var report = new MemoryStream())
        {
            ScoresReport.Write(report, table, batch.KeyColumns, scores);
            report.Position = 0;
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = objects.Bucket, Key = scoresKey, ContentType = "text/csv", InputStream = report }, token);
        }
        LogScored(logger, batch.RunId, anomalies.Count, version);

        await context.Publish(new BatchScored
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            ExecutionDate = batch.ExecutionDate,
            RowCount = table.RowCount,
            AnomalyCount = anomalies.Count,
            DecisionCounts = scores.DecisionCounts(),
            FeatureDrift = drift,
            TopAnomalies = [.. anomalies.OrderByDescending(a => a.Risk).Take(TopAnomalyCount)
                .Select(a => new ScoredAnomaly(a.Row, a.Key, a.Risk, a.Decision, a.TopFeatures))],
            ModelVersion = active is null ? null : $"v{version}",
            Device = device,
            ReportKey = reportKey,
            ReportKeys = new Dictionary<string, string>(batch.ReportKeys) { [ReportKinds.Anomalies] = reportKey, [ReportKinds.Scores] = scoresKey },
            DqScore = batch.DqScore,
            RulesFailed = batch.RulesFailed,
            HasBreakingDrift = batch.HasBreakingDrift,
            Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow, table.RowCount, Environment.WorkingSet),
        });
    }

    /// <summary>A batch with nothing to score completes its run; the device line says why it was not scored.</summary>
    private static BatchScored Skipped(BatchValidated batch, long rows, string reason, DateTimeOffset started) => new()
    {
        RunId = batch.RunId,
        Dataset = batch.Dataset,
        ExecutionDate = batch.ExecutionDate,
        RowCount = rows,
        AnomalyCount = 0,
        Device = reason,
        ReportKeys = batch.ReportKeys,
        DqScore = batch.DqScore,
        RulesFailed = batch.RulesFailed,
        HasBreakingDrift = batch.HasBreakingDrift,
        Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow, rows, Environment.WorkingSet),
    };

    /// <summary>Stores one scoring of the run: its anomalies (binary COPY) and its summary with the feature drift it saw.</summary>
    private async Task<List<AnomalyRecord>> StoreAsync(Guid runId, int version, string role, TypedTable table, IReadOnlyList<string> keyColumns,
        EnsembleScores scores, IReadOnlyDictionary<string, double> drift, CancellationToken token)
    {
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var anomalies = Enumerable.Range(0, table.RowCount)
            .Where(row => scores.Decision(row) != Decisions.Approve)
            .Select(row => new AnomalyRecord(row + 1, version, keys.ToDictionary(k => k.Name, k => k.IsNull(row) ? null : k.GetText(row)),
                scores.Risk[row], scores.Decision(row), scores.TopFeatures(row)))
            .ToList();
        await store.SaveAnomaliesAsync(runId, version, anomalies, token);
        await store.SaveScoreAsync(new ScoreRecord(runId, version, role, scores.DecisionCounts(), anomalies.Count, drift), token);
        return anomalies;
    }

    /// <summary>A model under test scores the batch too; its result is stored beside the active one's and published nowhere.</summary>
    private async Task ShadowScoreAsync(BatchValidated batch, TypedTable table, CancellationToken token)
    {
        if (await models.TestingAsync(batch.Dataset, token) is not { } testing) return;
        try
        {
            var features = testing.Model.Pipeline.Transform(table);
            var (scores, _) = await ScoreAsync(batch.Dataset, testing.Version, testing.Model, features, token);
            await StoreAsync(batch.RunId, testing.Version, "shadow", table, batch.KeyColumns, scores,
                testing.Model.Reference?.Psi(features) ?? new Dictionary<string, double>(), token);
        }
        catch (Exception e) when (e is FeaturePipelineException or UploadedModelUnavailableException)
        {
            LogShadowFailed(logger, batch.RunId, testing.Version, e.Message);
        }
    }

    /// <summary>
    /// Scores on ONNX Runtime where the model version loaded there; a failure inside the runtime (a GPU out of memory,
    /// say) scores this batch on the managed scorer instead, and the device line says so.
    /// </summary>
    private async Task<(EnsembleScores Scores, string Device)> ScoreAsync(string dataset, int version, EnsembleModel model, FeatureMatrix features,
        CancellationToken token)
    {
        using var lease = await engines.ForAsync(dataset, version, model, token);
        var engine = lease.Engine;
        if (engine.Detectors is null) return (model.Score(features), engine.Device);
        try
        {
            return (model.Score(features, engine.Detectors), engine.Device);
        }
        catch (OnnxRuntimeException e)
        {
            LogRuntimeFailed(logger, dataset, version, e.Message);
            return (model.Score(features), engines.ManagedDevice($"ONNX Runtime failed on this batch: {e.Message}"));
        }
    }

    [LoggerMessage(LogLevel.Warning, "ONNX Runtime could not score {Dataset} v{Version}; the managed scorer takes this batch: {Reason}")]
    private static partial void LogRuntimeFailed(ILogger logger, string dataset, int version, string reason);

    [LoggerMessage(LogLevel.Warning, "Shadow model v{Version} could not score run {RunId}: {Reason}")]
    private static partial void LogShadowFailed(ILogger logger, Guid runId, int version, string reason);

    private static string AnomalyCsv(IReadOnlyList<AnomalyRecord> anomalies, IReadOnlyList<string> keyColumns)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "row" }.Concat(keyColumns).Concat(["risk", "decision", "top_features"]).Select(CsvField.Quote)));
        foreach (var a in anomalies)
        {
            text.AppendLine(string.Join(',', new[] { a.Row.ToString(CultureInfo.InvariantCulture) }
                .Concat(keyColumns.Select(k => a.Key.GetValueOrDefault(k) ?? ""))
                .Concat([a.Risk.ToString("0.####", CultureInfo.InvariantCulture), a.Decision, string.Join(' ', a.TopFeatures)]).Select(CsvField.Quote)));
        }
        return text.ToString();
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} scored: {Anomalies} anomalies (model version {Version}; 0 = none)")]
    private static partial void LogScored(ILogger logger, Guid runId, int anomalies, int version);
}
