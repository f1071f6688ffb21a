using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>The parts of S3's protocol the services rely on beyond plain reads and writes: errors, ETags, listing shapes.</summary>
public sealed class ProtocolTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    [Fact]
    public async Task Another_access_key_is_refused_with_InvalidAccessKeyId()
    {
        using var stranger = new ServiceS3Client(fixture.Store.ConnectionString.Replace($"AccessKey={ObjectStoreProcess.AccessKey}", "AccessKey=stranger"));

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => stranger.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("InvalidAccessKeyId", refused.ErrorCode);
    }

    [Fact]
    public async Task Creating_the_existing_bucket_again_is_accepted_and_keeps_its_objects()
    {
        var key = Payloads.UniqueKey("bucket-again");
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "kept" });

        try
        {
            await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            // What ServiceDefaults' bucket initializer accepts too.
        }

        var head = await S3.GetObjectMetadataAsync(Bucket, key);
        Assert.Equal(4, head.ContentLength);
    }

    [Fact]
    public async Task A_part_for_an_upload_id_the_store_never_issued_is_refused_with_NoSuchUpload()
    {
        var key = Payloads.UniqueKey("no-such-upload");

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket, Key = key, UploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), PartNumber = 1,
            InputStream = new MemoryStream(Payloads.Random(1000, seed: 4)),
        }));
        var traversal = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.AbortMultipartUploadAsync(Bucket, key, "../../vigil"));

        Assert.Equal("NoSuchUpload", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("NoSuchUpload", traversal.ErrorCode);
    }

    [Fact]
    public async Task A_completed_upload_has_the_md5_of_its_part_md5s_and_the_part_count_as_its_ETag()
    {
        var key = Payloads.UniqueKey("multipart-etag");
        byte[][] parts = [Payloads.Random(5 * 1024 * 1024, seed: 21), Payloads.Random(777, seed: 22)];
        var started = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = Bucket, Key = key, ContentType = "text/csv", Metadata = { ["run-id"] = "run-7" },
        });
        var etags = new List<PartETag>();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = await S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket, Key = key, UploadId = started.UploadId, PartNumber = i + 1, InputStream = new MemoryStream(parts[i]),
            });
            etags.Add(new PartETag(i + 1, part.ETag));
        }

        var completed = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = started.UploadId, PartETags = etags });

        var expected = $"\"{Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(MD5.HashData).ToArray()))}-2\"";
        Assert.Equal(expected, completed.ETag);
        var head = await S3.GetObjectMetadataAsync(Bucket, key);
        Assert.Equal(expected, head.ETag);
        Assert.Equal(parts.Sum(p => p.Length), head.ContentLength);
        Assert.Equal("text/csv", head.Headers.ContentType);
        Assert.Equal("run-7", head.Metadata["run-id"]);
    }

    [Fact]
    public async Task Completing_with_a_wrong_part_ETag_is_refused_and_leaves_no_object()
    {
        var key = Payloads.UniqueKey("multipart-wrong-etag");
        var started = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key });
        await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = key, UploadId = started.UploadId, PartNumber = 1, InputStream = new MemoryStream(Payloads.Random(100, seed: 6)) });

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = key, UploadId = started.UploadId, PartETags = [new PartETag(1, "\"00000000000000000000000000000000\"")],
        }));

        Assert.Equal("InvalidPart", refused.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ListObjectsV2_with_a_delimiter_folds_deeper_keys_into_common_prefixes()
    {
        var prefix = $"tests/delimiter/{Guid.NewGuid():N}/";
        string[] keys = [$"{prefix}a.csv", $"{prefix}runs/1/report.json", $"{prefix}runs/2/report.json", $"{prefix}z.csv"];
        foreach (var key in keys) await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key });

        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, Delimiter = "/" });

        Assert.Equal([keys[0], keys[3]], page.S3Objects.Select(o => o.Key));
        Assert.Equal([$"{prefix}runs/"], page.CommonPrefixes);
    }

    [Fact]
    public async Task A_range_past_the_end_is_refused_with_416_InvalidRange()
    {
        var key = Payloads.UniqueKey("range-past-end");
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "0123456789" });

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(10, 20) }));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal("InvalidRange", refused.ErrorCode);
    }

    [Fact]
    public async Task Keys_with_spaces_plus_signs_and_unicode_round_trip()
    {
        var key = $"tests/names/{Guid.NewGuid():N}/a b+c ünï (1).csv";
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "named" });

        using var read = await S3.GetObjectAsync(Bucket, key);
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = key });

        Assert.Equal("named", await new StreamReader(read.ResponseStream).ReadToEndAsync());
        Assert.Equal([key], listed.S3Objects.Select(o => o.Key));
    }
}
