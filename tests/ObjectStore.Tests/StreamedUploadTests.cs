using Amazon.S3;
using Vigil.ObjectStore.Tests.Emulator;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.ObjectStore.Tests;

/// <summary>MultipartObjectUpload, as Scoring streams its scores report: written in odd-sized pieces, parts in parallel.</summary>
public sealed class StreamedUploadTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private IAmazonS3 S3 => fixture.Client.S3;
    private string Bucket => fixture.Client.Bucket;

    [Theory]
    [InlineData(3 * MultipartObjectUpload.PartSize + 4_321)] // several parts, the last one short
    [InlineData(2 * MultipartObjectUpload.PartSize)]         // parts exactly full
    [InlineData(1_000)]                                      // less than a part: one PUT
    public async Task A_streamed_object_reads_back_byte_for_byte(int length)
    {
        var key = Payloads.UniqueKey("streamed", "scores.csv");
        var content = Payloads.Random(length, seed: length);

        await using (var upload = new MultipartObjectUpload(S3, Bucket, key, "text/csv"))
        {
            for (var offset = 0; offset < content.Length; offset += 1_234_567)
                await upload.WriteAsync(content.AsMemory(offset, Math.Min(1_234_567, content.Length - offset)), CancellationToken.None);
            await upload.CompleteAsync(CancellationToken.None);
        }

        using var read = await S3.GetObjectAsync(Bucket, key);
        Assert.Equal(content.Length, read.ContentLength);
        Assert.Equal("text/csv", read.Headers.ContentType);
        Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
    }

    [Fact]
    public async Task An_upload_that_is_not_completed_leaves_no_object()
    {
        var key = Payloads.UniqueKey("streamed-abandoned", "scores.csv");

        await using (var upload = new MultipartObjectUpload(S3, Bucket, key, "text/csv"))
        {
            await upload.WriteAsync(Payloads.Random(2 * MultipartObjectUpload.PartSize + 10, seed: 2), CancellationToken.None);
            // The writer failed here (say): no CompleteAsync.
        }

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
