using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.Ingest.UnitTests.Intake;

/// <summary>Bodies stored while they arrive, in a real object store process (tools/ObjectStore), as Ingest stores uploads.</summary>
public sealed class StreamedUploadTests(ObjectStoreFixture store) : IClassFixture<ObjectStoreFixture>
{
    private const int Part = MultipartObjectUpload.PartSize;

    private IAmazonS3 S3 => store.Client.S3;
    private string Bucket => store.Client.Bucket;
    private StreamedUpload Upload => new(S3, Bucket);

    public static TheoryData<int> Sizes => [1, 1_000, Part - 1, Part, Part + 1, 2 * Part + Part / 2];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_body_is_stored_byte_for_byte_with_its_size_and_sha256(int size)
    {
        var bytes = Bytes(size, seed: size);
        var key = Key();
        var runId = Guid.NewGuid();

        var result = await Upload.StoreAsync(new TrickleStream(bytes, chunk: 65_536 + 7), key, "text/csv", runId, maxBytes: size, CancellationToken.None);

        Assert.Equal(new UploadResult.Stored(size, Sha256Hex(bytes)), result);
        using var read = await S3.GetObjectAsync(Bucket, key);
        Assert.Equal(bytes, await ReadAllAsync(read.ResponseStream));
        Assert.Equal("text/csv", read.Headers.ContentType);
        Assert.Equal(runId.ToString(), read.Metadata["run-id"]);
        // A body of a whole part or more goes as a multipart upload (S3's ETag of one names its part count).
        Assert.Equal(size >= Part, read.ETag.Contains('-'));
    }

    [Fact]
    public async Task An_empty_body_stores_nothing()
    {
        var key = Key();

        var result = await Upload.StoreAsync(new MemoryStream(), key, "text/csv", Guid.NewGuid(), maxBytes: 100, CancellationToken.None);

        Assert.IsType<UploadResult.Empty>(result);
        Assert.False(await ExistsAsync(key));
    }

    [Theory]
    [InlineData(1_001, 1_000)]
    [InlineData(3 * Part, 2 * Part - 1)]
    [InlineData(3 * Part, Part)]
    public async Task A_body_over_the_limit_stores_nothing_and_leaves_no_upload_behind(int size, long maxBytes)
    {
        var key = Key();

        var result = await Upload.StoreAsync(new TrickleStream(Bytes(size, seed: 3), chunk: 1 << 20), key, "text/csv", Guid.NewGuid(), maxBytes, CancellationToken.None);

        Assert.IsType<UploadResult.TooLarge>(result);
        Assert.False(await ExistsAsync(key));
        Assert.Empty(PendingUploads());
    }

    [Fact]
    public async Task A_body_that_breaks_off_after_some_parts_fails_and_leaves_nothing_behind()
    {
        var key = Key();
        var broken = new TrickleStream(Bytes(3 * Part, seed: 4), chunk: 1 << 20, failAfter: Part + Part / 2);

        await Assert.ThrowsAsync<IOException>(() => Upload.StoreAsync(broken, key, "text/csv", Guid.NewGuid(), maxBytes: long.MaxValue, CancellationToken.None));

        Assert.False(await ExistsAsync(key));
        Assert.Empty(PendingUploads());
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_nothing_behind()
    {
        var key = Key();
        using var cancel = new CancellationTokenSource();
        var body = new CancelAfterStream(new TrickleStream(Bytes(3 * Part, seed: 5), chunk: 1 << 20), cancel, after: Part + 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Upload.StoreAsync(body, key, "text/csv", Guid.NewGuid(), long.MaxValue, cancel.Token));

        Assert.False(await ExistsAsync(key));
        Assert.Empty(PendingUploads());
    }

    private static string Key() => $"raw/tests/{Guid.NewGuid():N}.csv";

    private IEnumerable<string> PendingUploads()
    {
        var uploads = Path.Combine(store.DataDirectory, ".uploads");
        return Directory.Exists(uploads) ? Directory.EnumerateDirectories(uploads) : [];
    }

    private async Task<bool> ExistsAsync(string key)
    {
        try
        {
            await S3.GetObjectMetadataAsync(Bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Cancels the request's token once <c>after</c> bytes have been read, as a client that goes away does.</summary>
    private sealed class CancelAfterStream(Stream inner, CancellationTokenSource cancel, int after) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= after) await cancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _read += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
