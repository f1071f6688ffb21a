using Amazon.S3;
using Amazon.S3.Model;
using MassTransit;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Ingest.Storage;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Ingest.Intake;

/// <summary>What a batch submission can come to.</summary>
public abstract record IntakeOutcome
{
    public sealed record Accepted(RunRecord Run) : IntakeOutcome;
    public sealed record AlreadyKnown(RunRecord Run) : IntakeOutcome;
    public sealed record Rejected(int Status, string Title, string Detail) : IntakeOutcome;
}

/// <summary>
/// Takes one batch in: spool and hash it, answer repeats with the run they already made, store the raw bytes in the
/// object store (claim-check), record the run, then publish <see cref="BatchIngested"/>.
/// </summary>
public sealed partial class BatchIntake(
    RunStore runs, IdempotencyKeys idempotencyKeys, IAmazonS3 s3, ObjectStoreOptions objectStore,
    IPublishEndpoint bus, IOptions<IngestOptions> options, ILogger<BatchIntake> logger)
{
    public async Task<IntakeOutcome> SubmitAsync(BatchSubmission submission, Stream body, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (submission.IdempotencyKey is { } key && await idempotencyKeys.FindAsync(submission.Dataset, key) is { } knownRunId
            && await runs.FindAsync(knownRunId, cancellationToken) is { } knownRun)
            return new IntakeOutcome.AlreadyKnown(knownRun);

        await using var spooled = await SpooledBatch.SpoolAsync(body, options.Value.MaxBatchBytes, options.Value.SpoolDirectory, cancellationToken);
        if (spooled is null)
            return new IntakeOutcome.Rejected(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"Batches are limited to {options.Value.MaxBatchBytes} bytes.");
        if (spooled.Size == 0)
            return new IntakeOutcome.Rejected(StatusCodes.Status400BadRequest, "Empty batch", "The request body is empty; send the batch's rows.");

        var live = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, spooled.Sha256, cancellationToken);
        if (live is not null && !submission.Rerun)
            return new IntakeOutcome.AlreadyKnown(live);

        var runId = Guid.CreateVersion7();
        var objectKey = $"raw/{submission.Dataset}/{submission.ExecutionDate:yyyy-MM-dd}/{runId}.{submission.Extension}";
        await using (var content = spooled.OpenRead())
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = objectStore.Bucket,
                Key = objectKey,
                InputStream = content,
                ContentType = submission.MediaType,
                Metadata = { ["run-id"] = runId.ToString(), ["sha256"] = spooled.Sha256 },
            }, cancellationToken);
        }

        var run = new RunRecord(runId, submission.Dataset, submission.ExecutionDate, submission.MediaType, spooled.Sha256,
            spooled.Size, objectKey, "ingested", started);
        if (!await runs.TryInsertAsync(run, live?.RunId, cancellationToken))
        {
            // A concurrent identical submission won the race; answer with its run and drop our copy.
            await s3.DeleteObjectAsync(objectStore.Bucket, objectKey, cancellationToken);
            var winner = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, spooled.Sha256, cancellationToken);
            return winner is not null
                ? new IntakeOutcome.AlreadyKnown(winner)
                : new IntakeOutcome.Rejected(StatusCodes.Status409Conflict, "Concurrent submission", "The same batch is being submitted concurrently; retry.");
        }

        try
        {
            await bus.Publish(new BatchIngested
            {
                RunId = runId,
                Dataset = submission.Dataset,
                ExecutionDate = submission.ExecutionDate,
                ObjectKey = objectKey,
                ContentType = submission.MediaType,
                SizeBytes = spooled.Size,
                ContentSha256 = spooled.Sha256,
                Timing = new StageTiming(Stages.Ingest, started, DateTimeOffset.UtcNow),
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, runId);
            await runs.SetStatusAsync(runId, "failed", "The message bus did not accept the batch; resubmit it.", CancellationToken.None);
            return new IntakeOutcome.Rejected(StatusCodes.Status503ServiceUnavailable, "Bus unavailable", "The batch was stored but could not be queued; resubmit it.");
        }

        if (submission.IdempotencyKey is { } newKey) await idempotencyKeys.RememberAsync(submission.Dataset, newKey, runId);
        LogAccepted(logger, runId, submission.Dataset, spooled.Size, objectKey);
        return new IntakeOutcome.Accepted(run);
    }

    [LoggerMessage(LogLevel.Information, "Accepted run {RunId} for {Dataset}: {SizeBytes} bytes at {ObjectKey}")]
    private static partial void LogAccepted(ILogger logger, Guid runId, string dataset, long sizeBytes, string objectKey);

    [LoggerMessage(LogLevel.Error, "Publishing BatchIngested for run {RunId} failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid runId);
}

/// <summary>The parts of a batch request other than its body.</summary>
public sealed record BatchSubmission(string Dataset, DateOnly ExecutionDate, string MediaType, string Extension, string? IdempotencyKey, bool Rerun);
