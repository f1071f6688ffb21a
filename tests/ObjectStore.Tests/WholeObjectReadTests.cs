using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.ObjectStore.Tests;

/// <summary>The services' whole-object read (a ranged GET from byte 0) against the real store.</summary>
public sealed class WholeObjectReadTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    [Theory]
    [InlineData(1)]
    [InlineData(8_191)]
    [InlineData(3_000_000)]
    public async Task Reads_every_byte_of_the_object(int length)
    {
        var key = Payloads.UniqueKey("whole", $"{length}.bin");
        var content = Payloads.Random(length, seed: length);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });

        using var read = await S3.GetWholeObjectAsync(Bucket, key, CancellationToken.None);

        Assert.Equal(length, read.ContentLength);
        Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
    }

    [Fact]
    public async Task Reads_an_empty_object_as_empty()
    {
        var key = Payloads.UniqueKey("whole", "empty.csv");
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "", ContentType = "text/csv" });

        using var read = await S3.GetWholeObjectAsync(Bucket, key, CancellationToken.None);

        Assert.Equal(0, read.ContentLength);
        Assert.Empty(await Payloads.ReadAllAsync(read.ResponseStream));
        Assert.Equal("text/csv", read.Headers.ContentType);
    }

    [Fact]
    public async Task Keeps_the_content_type_and_metadata()
    {
        var key = Payloads.UniqueKey("whole", "report.json");
        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = key, ContentBody = """{"ok":true}""", ContentType = "application/json", Metadata = { ["run-id"] = "run-7" },
        });

        using var read = await S3.GetWholeObjectAsync(Bucket, key, CancellationToken.None);

        Assert.Equal("application/json", read.Headers.ContentType);
        Assert.Equal("run-7", read.Metadata["run-id"]);
    }

    [Fact]
    public async Task A_missing_object_is_still_a_404()
    {
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            S3.GetWholeObjectAsync(Bucket, Payloads.UniqueKey("whole", "missing.bin"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
