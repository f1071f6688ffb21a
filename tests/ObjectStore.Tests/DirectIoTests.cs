using Amazon.S3;
using Amazon.S3.Model;
using Vigil.DirectFiles.UnitTests;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>
/// Object bodies written and read with direct I/O (whole aligned blocks straight to the disk, the unaligned tail through
/// the page cache): every size and range around the 4 KiB block and the 1 MiB buffer comes back byte for byte, and the
/// bodies really stay out of the page cache (checked with util-linux's fincore), unlike with <c>--no-direct-io</c>.
/// </summary>
public sealed class DirectIoTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private const int Block = 4096;
    private const int Buffer = 1024 * 1024;

    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    public static TheoryData<int> Sizes => [0, 1, Block - 1, Block, Block + 1, Buffer - 1, Buffer, Buffer + 1, 3 * Buffer + Block + 7];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_body_of_any_size_reads_back_whole_and_by_unaligned_ranges(int size)
    {
        var key = Payloads.UniqueKey("direct", $"{size}.bin");
        var content = Payloads.Random(size, seed: size);

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });

        Assert.Equal(Payloads.Sha256(content), await ReadSha256Async(key));
        foreach (var (first, last) in RangesWithin(size))
        {
            using var part = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(first, last) });
            Assert.Equal(content[(int)first..(int)(last + 1)], await Payloads.ReadAllAsync(part.ResponseStream));
        }
    }

    [Fact]
    public async Task A_multipart_upload_whose_middle_part_is_not_block_aligned_assembles_byte_for_byte()
    {
        // The odd middle part leaves the assembled file unaligned from there on: the copy must carry on without direct I/O.
        int[] partSizes = [5 * Buffer, 5 * Buffer + 3, 6 * Buffer, 12_345];
        var content = Payloads.Random(partSizes.Sum(), seed: 4097);
        var key = Payloads.UniqueKey("direct-multipart");
        var started = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key });
        var etags = new List<PartETag>();
        var offset = 0;
        for (var i = 0; i < partSizes.Length; i++)
        {
            var uploaded = await S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket, Key = key, UploadId = started.UploadId, PartNumber = i + 1,
                InputStream = new MemoryStream(content, offset, partSizes[i], writable: false), PartSize = partSizes[i],
            });
            etags.Add(new PartETag(i + 1, uploaded.ETag));
            offset += partSizes[i];
        }

        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = started.UploadId, PartETags = etags });

        Assert.Equal(Payloads.Sha256(content), await ReadSha256Async(key));
        var across = new ByteRange(5 * Buffer - 10, 5 * Buffer + 3 + Block + 10);
        using var part = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = across });
        Assert.Equal(content[(int)across.Start..(int)(across.End + 1)], await Payloads.ReadAllAsync(part.ResponseStream));
    }

    [Fact]
    public async Task Bodies_stay_out_of_the_page_cache_when_written_and_read()
    {
        Assert.Contains("bodies with direct I/O", fixture.Store.Output, StringComparison.Ordinal);
        var key = Payloads.UniqueKey("direct-cache");
        var content = Payloads.Random(16 * Buffer + 100, seed: 16);

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });
        var afterWrite = PageCache.ResidentBytes(Path.Combine(fixture.DataDirectory, Bucket, key));
        Assert.Equal(Payloads.Sha256(content), await ReadSha256Async(key));
        var afterRead = PageCache.ResidentBytes(Path.Combine(fixture.DataDirectory, Bucket, key));

        // At most the block holding the 100-byte tail, which goes through the page cache.
        Assert.InRange(afterWrite, 0, Block);
        Assert.InRange(afterRead, 0, Block);
    }

    [Fact]
    public async Task Without_direct_io_the_same_body_is_cached_and_reads_back_the_same()
    {
        var data = Path.Combine(Path.GetTempPath(), $"vigil-objectstore-{Guid.NewGuid():N}");
        try
        {
            await using var store = await ObjectStoreProcess.StartAsync(data, options: ["--no-direct-io"]);
            using var client = new ServiceS3Client(store.ConnectionString);
            var key = Payloads.UniqueKey("cached");
            var content = Payloads.Random(16 * Buffer + 100, seed: 16);

            await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = key, InputStream = new MemoryStream(content) });

            Assert.Contains("bodies through the page cache", store.Output, StringComparison.Ordinal);
            Assert.Equal(16 * Buffer + Block, PageCache.ResidentBytes(Path.Combine(data, client.Bucket, key)));
            using var read = await client.S3.GetObjectAsync(client.Bucket, key);
            Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static IEnumerable<(long First, long Last)> RangesWithin(int size)
    {
        if (size >= 2) yield return (1, size - 1);
        if (size > Block + 2) yield return (Block - 1, size - 2);
        if (size > Buffer + 2) yield return (Buffer - 3, Buffer + 2);
    }

    private async Task<string> ReadSha256Async(string key)
    {
        using var read = await S3.GetObjectAsync(Bucket, key);
        return await Payloads.Sha256Async(read.ResponseStream);
    }
}
