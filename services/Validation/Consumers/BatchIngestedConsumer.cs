using System.Text.Json;
using Amazon.S3;
using MassTransit;
using Vigil.Contracts;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Tabular.Parsing;
using Vigil.Validation.Reports;
using Vigil.Validation.Storage;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Consumers;

/// <summary>
/// Validates an ingested batch: load the dataset's definition, read the batch (and the reconciliation source) from the
/// object store, run <see cref="BatchValidation"/>, write the reports, record the result, and pass the run on — or
/// fail it with the reason when the batch cannot be read or breaking drift is blocked.
/// </summary>
public sealed partial class BatchIngestedConsumer(
    DatasetStore datasets, SchemaStore schemas, ValidationRunStore validationRuns, ValidationReportWriter reports, BatchSpills spills,
    IAmazonS3 s3, ObjectStoreOptions store, ILogger<BatchIngestedConsumer> logger) : IConsumer<BatchIngested>
{
    public async Task Consume(ConsumeContext<BatchIngested> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;
        var token = context.CancellationToken;

        if (await datasets.FindAsync(batch.Dataset, token) is not { } stored)
        {
            await FailAsync(context, started, $"Dataset '{batch.Dataset}' is not registered.");
            return;
        }
        var (dataset, errors) = CompiledDataset.Compile(stored.Definition, stored.Version);
        if (dataset is null)
        {
            await FailAsync(context, started, $"Dataset '{batch.Dataset}' version {stored.Version} is not valid: {string.Join(" ", errors.SelectMany(e => e.Value))}");
            return;
        }

        var readOptions = TableReadOptions.Default with { Delimiter = dataset.Definition.Delimiter[0] };
        TypedTable table;
        TypedTable? source = null;
        try
        {
            table = await ReadAsync(batch.ObjectKey, batch.ContentType, readOptions, token);
            if (batch.ReconciliationSource is { } sourceObject)
                source = await ReadAsync(sourceObject.ObjectKey, sourceObject.ContentType, readOptions, token, side: "source");
        }
        catch (BatchFormatException e)
        {
            await FailAsync(context, started, e.Message);
            return;
        }
        if (table.RowCount == 0)
        {
            await FailAsync(context, started, table.Columns.Count == 0 ? "The batch is empty." : "The batch has a header but no rows.");
            return;
        }
        // Scoring reads these typed columns instead of parsing the raw object again; written while the batch is validated.
        await using var spill = spills.Begin(new(batch.ObjectKey, batch.ContentType, readOptions.Delimiter), table, token);

        ValidationOutcome outcome;
        AcceptedSchema? accepted;
        try
        {
            accepted = await schemas.LatestAsync(batch.Dataset, token);
            var previousRowCount = await validationRuns.PreviousRowCountAsync(batch.Dataset, batch.RunId, token);
            outcome = BatchValidation.Run(dataset, table, source, accepted?.Snapshot, batch.ExecutionDate, previousRowCount);
        }
        catch (Reconciliation.ReconciliationException e)
        {
            await FailAsync(context, started, $"Reconciliation is not possible: {e.Message}");
            return;
        }

        var summary = await reports.WriteAsync(batch, dataset, table, source, outcome, token);
        // The version of the baseline the batch was compared with, or the one it became.
        var schemaVersion = outcome.AdvancesBaseline ? await schemas.AcceptAsync(batch.Dataset, outcome.Schema, batch.RunId, token) : accepted?.Version;
        await validationRuns.SaveAsync(summary, schemaVersion, token);
        var timing = new StageTiming(Stages.Validate, started, DateTimeOffset.UtcNow, table.RowCount, Environment.WorkingSet);

        if (outcome.Blocked)
        {
            var breaking = outcome.Drift.Findings.Where(f => f.Breaking).Select(f => f.Detail);
            LogBlocked(logger, batch.RunId, batch.Dataset);
            await context.Publish(new RunFailed
            {
                RunId = batch.RunId,
                Dataset = batch.Dataset,
                Stage = Stages.Validate,
                Reason = $"Breaking schema drift under policy '{dataset.Definition.DriftPolicy.ToString().ToLowerInvariant()}': {string.Join("; ", breaking)}"
                    + $". If the new schema is right, accept it: POST /api/datasets/{batch.Dataset}/schema/accept {{\"runId\": \"{batch.RunId}\"}}.",
                Timing = timing,
                ReportKeys = summary.Reports,
            });
            return;
        }

        await context.Publish(new BatchValidated
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            ExecutionDate = batch.ExecutionDate,
            ObjectKey = batch.ObjectKey,
            RowCount = table.RowCount,
            Columns = summary.Columns,
            ReportKey = summary.Reports[ReportKeys.Validation],
            ReportKeys = summary.Reports,
            DqScore = outcome.Quality.Score,
            DqDimensions = outcome.Quality.Dimensions,
            RulesChecked = outcome.Rules.Results.Count,
            RulesFailed = outcome.Rules.Results.Count(r => !r.Passed),
            Drift = [.. outcome.Drift.Notable.Select(f => f.Detail)],
            HasBreakingDrift = outcome.Drift.HasBreaking,
            Reconciliation = outcome.Reconciliation is { } r
                ? new ReconciliationSummary(r.SourceRows, r.TargetRows, r.MissingInTarget, r.UnexpectedInTarget, r.DuplicateKeysInSource,
                    r.DuplicateKeysInTarget, r.ChangedRecords, r.NullsIntroducedByColumn.Values.Sum(), Math.Round(r.ConsistencyScore, 2))
                : null,
            DatasetVersion = dataset.Version,
            ContentType = batch.ContentType,
            CsvDelimiter = readOptions.Delimiter,
            KeyColumns = dataset.Definition.KeyColumns,
            ColumnsKey = await spill.HandOverAsync(),
            Timing = timing,
        });
    }

    private async Task<TypedTable> ReadAsync(string key, string contentType, TableReadOptions options, CancellationToken token, string? side = null)
    {
        using var raw = await s3.GetObjectAsync(store.Bucket, key, token);
        try
        {
            return TableReader.Read(raw.ResponseStream, contentType, options);
        }
        catch (BatchFormatException e) when (side is not null)
        {
            throw new BatchFormatException($"The {side} batch: {e.Message}", e);
        }
    }

    private async Task FailAsync(ConsumeContext<BatchIngested> context, DateTimeOffset started, string reason)
    {
        LogRejected(logger, context.Message.RunId, reason);
        await context.Publish(new RunFailed
        {
            RunId = context.Message.RunId,
            Dataset = context.Message.Dataset,
            Stage = Stages.Validate,
            Reason = reason,
            Timing = new StageTiming(Stages.Validate, started, DateTimeOffset.UtcNow),
        });
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} rejected by validation: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid runId, string reason);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} blocked by breaking schema drift")]
    private static partial void LogBlocked(ILogger logger, Guid runId, string dataset);
}
