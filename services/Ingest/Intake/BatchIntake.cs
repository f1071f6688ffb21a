using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
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
/// Takes spooled uploads in: answers repeats (by Idempotency-Key, or by content) with the run they already made,
/// stores the raw bytes in the object store (claim-check), then records the run together with its
/// <see cref="BatchIngested"/> in the outbox, which <see cref="Outbox.OutboxPublisher"/> puts on the bus.
/// </summary>
public sealed partial class BatchIntake(
    RunStore runs, IAmazonS3 s3, ObjectStoreOptions objectStore, Outbox.OutboxSignal outbox, IOptions<IngestOptions> options,
    ILogger<BatchIntake> logger)
{
    /// <param name="target">The batch; for a reconciliation, its target side.</param>
    /// <param name="source">The source side of a reconciliation, or null for a plain batch.</param>
    public async Task<IntakeOutcome> AcceptAsync(BatchSubmission submission, BatchPart target, BatchPart? source, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var contentHash = source is null ? target.Content.Sha256 : PairHash(source, target);
        var key = submission.IdempotencyKey is { } name
            ? new KeyEntry(submission.Dataset, name, Guid.Empty, RequestHash(submission, contentHash), options.Value.IdempotencyKeyLifetime)
            : null;
        if (key is not null && await AnswerKnownKeyAsync(key, cancellationToken) is { } keyed) return keyed;

        var live = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, contentHash, cancellationToken);
        if (live is not null && !submission.Rerun)
        {
            if (key is not null && !await runs.TryRememberKeyAsync(key with { RunId = live.RunId }, cancellationToken))
                return await AnswerKnownKeyAsync(key, cancellationToken) ?? new IntakeOutcome.AlreadyKnown(live);
            return new IntakeOutcome.AlreadyKnown(live);
        }

        var runId = Guid.CreateVersion7();
        var prefix = $"raw/{submission.Dataset}/{submission.ExecutionDate:yyyy-MM-dd}/{runId}";
        var targetKey = source is null ? $"{prefix}.{target.Extension}" : $"{prefix}.target.{target.Extension}";
        var sourceKey = source is null ? null : $"{prefix}.source.{source.Extension}";
        // A reconciliation's two sides go to the object store at the same time.
        await Task.WhenAll(
            StoreAsync(runId, targetKey, target, cancellationToken),
            source is null ? Task.CompletedTask : StoreAsync(runId, sourceKey!, source, cancellationToken));

        var run = new RunRecord(runId, submission.Dataset, submission.ExecutionDate, target.MediaType, contentHash,
            target.Content.Size + (source?.Content.Size ?? 0), targetKey, "ingested", started)
        {
            SourceObjectKey = sourceKey,
        };
        var announcement = Outbox.OutboxMessages.Entry(new BatchIngested
        {
            RunId = runId,
            Dataset = submission.Dataset,
            ExecutionDate = submission.ExecutionDate,
            ObjectKey = targetKey,
            ContentType = target.MediaType,
            SizeBytes = target.Content.Size,
            ContentSha256 = contentHash,
            ReconciliationSource = source is null ? null : new StoredObject(sourceKey!, source.MediaType, source.Content.Size),
            CallbackUrl = submission.CallbackUrl,
            Timing = new StageTiming(Stages.Ingest, started, DateTimeOffset.UtcNow),
        });

        var inserted = await runs.TryInsertAsync(run, live?.RunId ?? (submission.Rerun ? submission.Supersedes : null), announcement, key, cancellationToken);
        if (inserted != InsertOutcome.Inserted)
        {
            // A concurrent submission (same content, or same key) won the race; answer with its run and drop our copies.
            await s3.DeleteObjectAsync(objectStore.Bucket, targetKey, cancellationToken);
            if (sourceKey is not null) await s3.DeleteObjectAsync(objectStore.Bucket, sourceKey, cancellationToken);
            if (key is not null && await AnswerKnownKeyAsync(key, cancellationToken) is { } keyed2) return keyed2;
            var winner = await runs.FindLiveAsync(submission.Dataset, submission.ExecutionDate, contentHash, cancellationToken);
            return winner is not null
                ? new IntakeOutcome.AlreadyKnown(winner)
                : new IntakeOutcome.Rejected(StatusCodes.Status409Conflict, "Concurrent submission", "The same batch is being submitted concurrently; retry.");
        }

        outbox.Notify();
        LogAccepted(logger, runId, submission.Dataset, run.SizeBytes, targetKey);
        return new IntakeOutcome.Accepted(run);
    }

    /// <summary>
    /// The answer for a key already in use: its run when the request is the same, 422 when the key came with another
    /// request (the new data would otherwise be dropped silently); null when the key is new.
    /// </summary>
    private async Task<IntakeOutcome?> AnswerKnownKeyAsync(KeyEntry key, CancellationToken cancellationToken)
    {
        if (await runs.FindByKeyAsync(key.Dataset, key.Key, key.Lifetime, cancellationToken) is not { } found) return null;
        var (run, requestHash) = found;
        return requestHash == key.RequestSha256
            ? new IntakeOutcome.AlreadyKnown(run)
            : new IntakeOutcome.Rejected(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with a different request",
                $"Idempotency-Key '{key.Key}' was first used for run {run.RunId} (execution date {run.ExecutionDate:yyyy-MM-dd}, content sha256 {run.ContentSha256}); "
                + "this request's body or execution date differs. Send new data under a new key.");
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

    /// <summary>What an Idempotency-Key stands for: the execution date, the content and whether it reruns.</summary>
    private static string RequestHash(BatchSubmission submission, string contentHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{submission.ExecutionDate:yyyy-MM-dd};{submission.Rerun};{contentHash}"))).ToLowerInvariant();

    /// <summary>One hash for a source/target pair, so resubmitting the same pair is recognised as a repeat.</summary>
    private static string PairHash(BatchPart source, BatchPart target) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes($"source:{source.Content.Sha256};target:{target.Content.Sha256}"))).ToLowerInvariant();

    [LoggerMessage(LogLevel.Information, "Accepted run {RunId} for {Dataset}: {SizeBytes} bytes at {ObjectKey}")]
    private static partial void LogAccepted(ILogger logger, Guid runId, string dataset, long sizeBytes, string objectKey);
}
