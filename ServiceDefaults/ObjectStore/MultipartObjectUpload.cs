using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vigil.ServiceDefaults.ObjectStore;

/// <summary>
/// Writes an object of unknown length to the object store as it is produced: every <see cref="PartSize"/> bytes go up
/// as one part of a multipart upload, up to <see cref="MaxPartsInFlight"/> at once, while the writer goes on.
/// <see cref="CompleteAsync"/> makes the object visible; until then (and if anything fails, when the upload is
/// aborted on dispose) no half-written object exists. An object smaller than one part is a single PUT.
/// </summary>
public sealed class MultipartObjectUpload(IAmazonS3 s3, string bucket, string key, string contentType) : IAsyncDisposable
{
    /// <summary>8 MiB: above S3's 5 MiB minimum for every part but the last.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public const int MaxPartsInFlight = 3;

    private readonly SemaphoreSlim _slots = new(MaxPartsInFlight);
    private readonly List<Task<PartETag>> _parts = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(PartSize);
    private int _used;
    private string? _uploadId;
    private bool _completed;

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var count = Math.Min(bytes.Length, PartSize - _used);
            bytes.Span[..count].CopyTo(_buffer.AsSpan(_used));
            _used += count;
            bytes = bytes[count..];
            if (_used == PartSize) await SendPartAsync(cancellationToken);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, ContentType = contentType, InputStream = new MemoryStream(_buffer, 0, _used, writable: false),
            }, cancellationToken);
        }
        else
        {
            if (_used > 0) await SendPartAsync(cancellationToken);
            var parts = await Task.WhenAll(_parts);
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = _uploadId, PartETags = [.. parts],
            }, cancellationToken);
        }
        _completed = true;
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType },
            cancellationToken)).UploadId;
        await _slots.WaitAsync(cancellationToken);
        var (buffer, length) = (_buffer, _used);
        _buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        _used = 0;
        _parts.Add(UploadPartAsync(_parts.Count + 1, buffer, length, cancellationToken));
    }

    private async Task<PartETag> UploadPartAsync(int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            var uploaded = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket, Key = key, UploadId = _uploadId, PartNumber = number,
                InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length,
            }, cancellationToken);
            return new PartETag(number, uploaded.ETag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed && _uploadId is not null)
        {
            // Let the parts in flight finish (or fail) before the upload they belong to is aborted.
            await Task.WhenAll(_parts).ContinueWith(_ => { }, TaskScheduler.Default);
            try
            {
                await s3.AbortMultipartUploadAsync(bucket, key, _uploadId);
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException)
            {
                // The upload stays incomplete and invisible (the store refused or is unreachable); the store's lifecycle
                // rules clean such uploads up. The failure that led here is what the caller hears about.
            }
        }
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _slots.Dispose();
    }
}
