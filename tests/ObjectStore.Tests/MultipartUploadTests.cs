using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

public sealed class MultipartUploadTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private const int PartSize = 8 * 1024 * 1024;

    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    [Fact]
    public async Task A_64_MB_upload_in_parallel_parts_reads_back_with_the_same_sha256()
    {
        var key = Payloads.UniqueKey("multipart", "model.onnx");
        var content = Payloads.Random(8 * PartSize + 12_345, seed: 64);
        var started = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/onnx" });

        var parts = await Task.WhenAll(Enumerable.Range(0, (content.Length + PartSize - 1) / PartSize).Select(async index =>
        {
            var offset = index * PartSize;
            var length = Math.Min(PartSize, content.Length - offset);
            var uploaded = await S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket, Key = key, UploadId = started.UploadId, PartNumber = index + 1,
                InputStream = new MemoryStream(content, offset, length, writable: false), PartSize = length,
            });
            return new PartETag(index + 1, uploaded.ETag);
        }));
        var completed = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = key, UploadId = started.UploadId, PartETags = [.. parts],
        });

        Assert.Equal(9, parts.Length);
        Assert.False(string.IsNullOrEmpty(completed.ETag));
        var head = await S3.GetObjectMetadataAsync(Bucket, key);
        Assert.Equal(content.Length, head.ContentLength);
        Assert.Equal("application/onnx", head.Headers.ContentType);
        using var read = await S3.GetObjectAsync(Bucket, key);
        Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
    }

    [Fact]
    public async Task An_aborted_upload_leaves_no_object()
    {
        var key = Payloads.UniqueKey("multipart-aborted");
        var started = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key });
        await S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket, Key = key, UploadId = started.UploadId, PartNumber = 1, InputStream = new MemoryStream(Payloads.Random(PartSize, seed: 5)),
        });

        await S3.AbortMultipartUploadAsync(Bucket, key, started.UploadId);

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
