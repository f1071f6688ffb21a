using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

public sealed class ObjectRoundTripTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    [Fact]
    public async Task A_streamed_put_reads_back_byte_for_byte_with_its_type_and_metadata()
    {
        var key = Payloads.UniqueKey("roundtrip", "batch.csv");
        var content = Payloads.Random(300_000, seed: 1);

        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = key, InputStream = new MemoryStream(content), ContentType = "text/csv",
            Metadata = { ["run-id"] = "run-42", ["sha256"] = Payloads.Sha256(content) },
        });

        using var read = await S3.GetObjectAsync(Bucket, key);
        Assert.Equal(content, await Payloads.ReadAllAsync(read.ResponseStream));
        Assert.Equal("text/csv", read.Headers.ContentType);
        Assert.Equal("run-42", read.Metadata["run-id"]);
        Assert.Equal(Payloads.Sha256(content), read.Metadata["sha256"]);
        Assert.Null(read.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_string_body_put_reads_back_as_written()
    {
        var key = Payloads.UniqueKey("roundtrip", "artefact.json");
        const string json = """{"model":"ensemble","version":3,"note":"ünïcode"}""";

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = json, ContentType = "application/json" });

        using var read = await S3.GetObjectAsync(Bucket, key);
        using var reader = new StreamReader(read.ResponseStream, Encoding.UTF8);
        Assert.Equal(json, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_put_with_a_trailing_CRC32_checksum_stores_only_the_object_bytes()
    {
        var key = Payloads.UniqueKey("checksum");
        var content = Payloads.Random(700_000, seed: 11);

        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = key, InputStream = new MemoryStream(content), ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        });

        using var read = await S3.GetObjectAsync(Bucket, key);
        Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
    }

    [Fact]
    public async Task Head_reports_the_size_and_etag_of_what_was_stored()
    {
        var key = Payloads.UniqueKey("head");
        var content = Payloads.Random(12_345, seed: 2);
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });

        var head = await S3.GetObjectMetadataAsync(Bucket, key);

        Assert.Equal(content.Length, head.ContentLength);
        Assert.Equal(put.ETag, head.ETag);
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(content))}\"", head.ETag);
    }

    [Fact]
    public async Task ListObjectsV2_pages_through_a_prefix_in_key_order()
    {
        var prefix = $"tests/list/{Guid.NewGuid():N}/";
        var keys = Enumerable.Range(0, 5).Select(i => $"{prefix}part-{i:D2}.csv").ToList();
        foreach (var key in keys) await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key });

        var listed = new List<S3Object>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 2, ContinuationToken = token });
            listed.AddRange(page.S3Objects ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        } while (token is not null);

        Assert.Equal(keys, listed.Select(o => o.Key));
        Assert.Equal(3, pages);
        Assert.All(listed, o => Assert.Equal(o.Key.Length, o.Size));
    }

    [Fact]
    public async Task Delete_removes_an_object_and_DeleteObjects_removes_only_the_named_keys()
    {
        var prefix = $"tests/delete/{Guid.NewGuid():N}/";
        string[] keys = [$"{prefix}a", $"{prefix}b", $"{prefix}c", $"{prefix}d"];
        foreach (var key in keys) await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "x" });

        await S3.DeleteObjectAsync(Bucket, keys[0]);
        var batch = await S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Bucket, Objects = [new KeyVersion { Key = keys[1] }, new KeyVersion { Key = keys[2] }],
        });

        Assert.Equal(2, batch.DeletedObjects.Count);
        var left = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        Assert.Equal([keys[3]], left.S3Objects.Select(o => o.Key));
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(Bucket, keys[0]));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_missing_key_answers_404_NoSuchKey_to_get_and_404_to_head()
    {
        var key = Payloads.UniqueKey("missing");

        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(Bucket, key));
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("NoSuchKey", get.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_ranged_get_returns_exactly_the_requested_bytes()
    {
        var key = Payloads.UniqueKey("range");
        var content = Payloads.Random(1 << 20, seed: 3);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });

        using var middle = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(1000, 5999) });
        using var tail = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange("bytes=-100") });

        Assert.Equal(HttpStatusCode.PartialContent, middle.HttpStatusCode);
        Assert.Equal(content[1000..6000], await Payloads.ReadAllAsync(middle.ResponseStream));
        Assert.Equal($"bytes 1000-5999/{content.Length}", middle.ContentRange);
        Assert.Equal(content[^100..], await Payloads.ReadAllAsync(tail.ResponseStream));
    }

    [Fact]
    public async Task Concurrent_puts_from_8_tasks_all_land_intact()
    {
        var prefix = $"tests/concurrent/{Guid.NewGuid():N}/";
        const int writers = 8, perWriter = 10;

        var written = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var digests = new Dictionary<string, string>();
            for (var i = 0; i < perWriter; i++)
            {
                var key = $"{prefix}{writer}/{i}.bin";
                var content = Payloads.Random(256 * 1024 + writer * 1000 + i, seed: writer * 100 + i);
                await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });
                digests[key] = Payloads.Sha256(content);
            }
            return digests;
        })));

        var expected = written.SelectMany(d => d).ToDictionary();
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
        foreach (var (key, digest) in expected)
        {
            using var read = await S3.GetObjectAsync(Bucket, key);
            Assert.Equal(digest, await Payloads.Sha256Async(read.ResponseStream));
        }
    }
}
