using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using MassTransit;
using Vigil.Contracts;
using Vigil.Ingest.Storage;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Ingest.Intake;

/// <summary>What a submission can come to.</summary>
public abstract record IntakeOutcome
{
    public sealed record Accepted(RunRecord Run) : IntakeOutcome;
    public sealed record AlreadyKnown(RunRecord Run) : IntakeOutcome;
    public sealed record Rejected(int Status, string Title, string Detail) : IntakeOutcome;
}

/// <summary>
/// Takes spooled uploads in: answers repeats with the run they already made, stores the raw bytes in the object store
/// (claim-check), records the run, then publishes <see cref="BatchIngested"/>.
/// </summary>
public sealed partial class BatchIntake(
    RunStore runs, IdempotencyKeys idempotencyKeys, IAmazonS3 s3, ObjectStoreOptions objectStore,
    IPublishEndpoint bus, ILogger<BatchIntake> logger)
{
    /// <summary>The run an Idempotency-Key already made, if any.</summary>
    public async Task<RunRecord?> FindRepeatAsync(string dataset, string? idempotencyKey, CancellationToken cancellationToken) =>
        idempotencyKey is not null && await idempotencyKeys.FindAsync(dataset, idempotencyKey) is { } runId
            ? await runs.FindAsync(runId, cancellationToken)
            : null;

    /// <param name="target">The batch; for a reconciliation, its target side.</param>
    /// <param name="source">The source side of a reconciliation, or null for a plain batch.</param>
    public async Task<IntakeOutcome> AcceptAsync(BatchSubmission submission, BatchPart target, BatchPart? source, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var contentHash = source is null ? target.Content.Sha256 : PairHash(source, target);
        var live = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, contentHash, cancellationToken);
        if (live is not null && !submission.Rerun)
            return new IntakeOutcome.AlreadyKnown(live);

        var runId = Guid.CreateVersion7();
        var prefix = $"raw/{submission.Dataset}/{submission.ExecutionDate:yyyy-MM-dd}/{runId}";
        var targetKey = source is null ? $"{prefix}.{target.Extension}" : $"{prefix}.target.{target.Extension}";
        var sourceKey = source is null ? null : $"{prefix}.source.{source.Extension}";
        await StoreAsync(runId, targetKey, target, cancellationToken);
        if (source is not null) await StoreAsync(runId, sourceKey!, source, cancellationToken);

        var run = new RunRecord(runId, submission.Dataset, submission.ExecutionDate, target.MediaType, contentHash,
            target.Content.Size + (source?.Content.Size ?? 0), targetKey, "ingested", started)
        {
            SourceObjectKey = sourceKey,
        };
        if (!await runs.TryInsertAsync(run, live?.RunId, cancellationToken))
        {
            // A concurrent identical submission won the race; answer with its run and drop our copies.
            await s3.DeleteObjectAsync(objectStore.Bucket, targetKey, cancellationToken);
            if (sourceKey is not null) await s3.DeleteObjectAsync(objectStore.Bucket, sourceKey, cancellationToken);
            var winner = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, contentHash, cancellationToken);
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
                ObjectKey = targetKey,
                ContentType = target.MediaType,
                SizeBytes = target.Content.Size,
                ContentSha256 = contentHash,
                ReconciliationSource = source is null ? null : new StoredObject(sourceKey!, source.MediaType, source.Content.Size),
                Timing = new StageTiming(Stages.Ingest, started, DateTimeOffset.UtcNow),
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, runId);
            await runs.SetStatusAsync(runId, "failed", "The message bus did not accept the batch; resubmit it.", CancellationToken.None);
            return new IntakeOutcome.Rejected(StatusCodes.Status503ServiceUnavailable, "Bus unavailable", "The batch was stored but could not be queued; resubmit it.");
        }

        if (submission.IdempotencyKey is { } key) await idempotencyKeys.RememberAsync(submission.Dataset, key, runId);
        LogAccepted(logger, runId, submission.Dataset, run.SizeBytes, targetKey);
        return new IntakeOutcome.Accepted(run);
    }

    private async Task StoreAsync(Guid runId, string key, BatchPart part, CancellationToken cancellationToken)
    {
        await using var content = part.Content.OpenRead();
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = objectStore.Bucket,
            Key = key,
            InputStream = content,
            ContentType = part.MediaType,
            Metadata = { ["run-id"] = runId.ToString(), ["sha256"] = part.Content.Sha256 },
        }, cancellationToken);
    }

    /// <summary>One hash for a source/target pair, so resubmitting the same pair is recognised as a repeat.</summary>
    private static string PairHash(BatchPart source, BatchPart target) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes($"source:{source.Content.Sha256};target:{target.Content.Sha256}"))).ToLowerInvariant();

    [LoggerMessage(LogLevel.Information, "Accepted run {RunId} for {Dataset}: {SizeBytes} bytes at {ObjectKey}")]
    private static partial void LogAccepted(ILogger logger, Guid runId, string dataset, long sizeBytes, string objectKey);

    [LoggerMessage(LogLevel.Error, "Publishing BatchIngested for run {RunId} failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid runId);
}
