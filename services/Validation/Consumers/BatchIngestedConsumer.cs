using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using MassTransit;
using Vigil.Contracts;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Validation.Parsing;
using Vigil.Validation.Reports;

namespace Vigil.Validation.Consumers;

/// <summary>Reads the raw batch from the object store, validates it, stores the report, and passes the run on (or fails it).</summary>
public sealed partial class BatchIngestedConsumer(IAmazonS3 s3, ObjectStoreOptions store, ILogger<BatchIngestedConsumer> logger) : IConsumer<BatchIngested>
{
    public async Task Consume(ConsumeContext<BatchIngested> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;

        BatchShape shape;
        using (var raw = await s3.GetObjectAsync(store.Bucket, batch.ObjectKey, context.CancellationToken))
        {
            try
            {
                shape = BatchReader.Summarize(batch.ContentType, raw.ResponseStream);
            }
            catch (BatchFormatException e)
            {
                LogRejected(logger, batch.RunId, e.Message);
                await context.Publish(new RunFailed
                {
                    RunId = batch.RunId,
                    Dataset = batch.Dataset,
                    Stage = Stages.Validate,
                    Reason = e.Message,
                    Timing = new StageTiming(Stages.Validate, started, DateTimeOffset.UtcNow),
                });
                return;
            }
        }

        var reportKey = ValidationReport.KeyFor(batch.Dataset, batch.RunId);
        var report = new ValidationReport(batch.RunId, batch.Dataset, batch.ExecutionDate, batch.ObjectKey, shape.RowCount, shape.Columns, DateTimeOffset.UtcNow);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = store.Bucket,
            Key = reportKey,
            ContentType = "application/json",
            ContentBody = JsonSerializer.Serialize(report, JsonSerializerOptions.Web),
        }, context.CancellationToken);

        await context.Publish(new BatchValidated
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            ExecutionDate = batch.ExecutionDate,
            ObjectKey = batch.ObjectKey,
            RowCount = shape.RowCount,
            Columns = shape.Columns,
            ReportKey = reportKey,
            Timing = new StageTiming(Stages.Validate, started, DateTimeOffset.UtcNow, shape.RowCount),
        });
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} rejected by validation: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid runId, string reason);
}
