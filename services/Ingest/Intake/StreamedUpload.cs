using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vigil.Ingest.Intake;

/// <summary>What an upload came to: stored (with its size and SHA-256), empty (nothing stored) or over the limit (nothing kept).</summary>
public abstract record UploadResult
{
    public sealed record Stored(long Size, string Sha256) : UploadResult;
    public sealed record Empty : UploadResult;
    public sealed record TooLarge : UploadResult;
}

/// <summary>
/// Stores a request body in the object store while it arrives, so an upload is stored about when its last byte is in:
/// the body goes out as the parts of an S3 multipart upload (<see cref="PartSize"/> each, at most
/// <see cref="PartsInFlight"/> uploading while the next one fills), its SHA-256 computed on the way. A body that ends
/// within its first part is stored with one PutObject. When the body fails, runs over the limit or is cancelled, the
/// multipart upload is aborted: nothing of it stays in the store. Each part is a buffer of its own, so the S3 client can
/// retry a part on its own after a transient error.
/// </summary>
public sealed class StreamedUpload(IAmazonS3 s3, string bucket)
{
    /// <summary>8 MiB: above S3's 5 MiB minimum part, few requests per batch, and little memory with the parts in flight.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public const int PartsInFlight = 2;

    public async Task<UploadResult> StoreAsync(Stream body, string key, string contentType, Guid runId, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var first = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(body, first, cancellationToken);
            if (filled > maxBytes) return new UploadResult.TooLarge();
            if (filled == 0) return new UploadResult.Empty();
            hash.AppendData(first, 0, filled);
            if (filled < PartSize)
            {
                var sha256 = Hex(hash);
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket, Key = key, ContentType = contentType,
                    InputStream = new MemoryStream(first, 0, filled, writable: false),
                    Metadata = { ["run-id"] = runId.ToString(), ["sha256"] = sha256 },
                }, cancellationToken);
                return new UploadResult.Stored(filled, sha256);
            }
            var buffer = first;
            first = null;
            return await StoreInPartsAsync(body, buffer, key, contentType, runId, maxBytes, hash, cancellationToken);
        }
        finally
        {
            if (first is not null) ArrayPool<byte>.Shared.Return(first);
        }
    }

    /// <summary>The multipart path, from a full first part in <paramref name="firstPart"/> (returned to the pool here).</summary>
    private async Task<UploadResult> StoreInPartsAsync(Stream body, byte[] firstPart, string key, string contentType, Guid runId, long maxBytes,
        IncrementalHash hash, CancellationToken cancellationToken)
    {
        var started = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = key, ContentType = contentType, Metadata = { ["run-id"] = runId.ToString() },
        }, cancellationToken);
        var inFlight = new Queue<Task<PartETag>>();
        var etags = new List<PartETag>();
        var completed = false;
        try
        {
            long size = PartSize;
            inFlight.Enqueue(UploadPartAsync(started.UploadId, key, 1, firstPart, PartSize, cancellationToken));
            for (var number = 2; ; number++)
            {
                if (inFlight.Count == PartsInFlight) etags.Add(await inFlight.Dequeue());
                var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
                int filled;
                try
                {
                    filled = await FillAsync(body, buffer, cancellationToken);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                size += filled;
                if (size > maxBytes || filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    if (size > maxBytes) return new UploadResult.TooLarge();
                    break;
                }
                hash.AppendData(buffer, 0, filled);
                inFlight.Enqueue(UploadPartAsync(started.UploadId, key, number, buffer, filled, cancellationToken));
                if (filled < PartSize) break;
            }
            while (inFlight.Count > 0) etags.Add(await inFlight.Dequeue());
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = started.UploadId, PartETags = etags,
            }, cancellationToken);
            completed = true;
            return new UploadResult.Stored(size, Hex(hash));
        }
        finally
        {
            if (!completed)
            {
                // Parts still uploading hold their buffers; wait for them before the upload is aborted.
                foreach (var part in inFlight)
                {
                    try
                    {
                        await part;
                    }
                    catch (Exception)
                    {
                        // The upload is being abandoned; its own failure is what the caller hears about.
                    }
                }
                await AbortAsync(key, started.UploadId);
            }
        }
    }

    /// <summary>Uploads one part from <paramref name="buffer"/>, then returns the buffer to the pool.</summary>
    private async Task<PartETag> UploadPartAsync(string uploadId, string key, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            var uploaded = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number,
                InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length,
            }, cancellationToken);
            return new PartETag(number, uploaded.ETag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException)
        {
            // The store is unreachable: the parts stay under its uploads until it is asked again (the request still fails).
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> holds a whole part or the body ends; returns the bytes read.</summary>
    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < PartSize)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
}
