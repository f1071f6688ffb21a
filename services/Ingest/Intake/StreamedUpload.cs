using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Vigil.ServiceDefaults.ObjectStore;

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
/// the body goes out through a <see cref="MultipartObjectUpload"/> (parts of 8 MiB uploading while the next one fills,
/// one PUT for a body under a part), its SHA-256 computed on the way. When the body fails, runs over the limit or is
/// cancelled, the upload is aborted: nothing of it stays in the store. Each part is a buffer of its own, so the S3 client
/// can retry a part on its own after a transient error.
/// </summary>
public sealed class StreamedUpload(IAmazonS3 s3, string bucket)
{
    private const int ReadSize = 256 * 1024;

    public async Task<UploadResult> StoreAsync(Stream body, string key, string contentType, Guid runId, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var upload = new MultipartObjectUpload(s3, bucket, key, contentType, new Dictionary<string, string> { ["run-id"] = runId.ToString() });
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            long size = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes) return new UploadResult.TooLarge();
                hash.AppendData(buffer, 0, read);
                await upload.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            if (size == 0) return new UploadResult.Empty();
            await upload.CompleteAsync(cancellationToken);
            return new UploadResult.Stored(size, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
