using System.Diagnostics;
using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>How the store starts and stops as the AppHost runs it: prompt stop on SIGTERM, no orphan when its parent is gone.</summary>
public sealed class LifecycleTests : TemporaryDataDirectory
{
    [Fact]
    public async Task A_stop_request_ends_the_store_with_exit_code_0_within_3_seconds_even_with_a_connection_open()
    {
        await using var store = await ObjectStoreProcess.StartAsync(DataDirectory);
        using var client = new ServiceS3Client(store.ConnectionString);
        await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = "kept-alive", ContentBody = "x" }); // a keep-alive connection

        var watch = Stopwatch.StartNew();
        var exitCode = await store.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"The store took {watch.Elapsed} to stop.");
    }

    [Fact]
    public async Task The_store_stops_by_itself_once_its_parent_process_is_gone()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", ["60"])) ?? throw new InvalidOperationException("sleep could not be started.");
        await using var store = await ObjectStoreProcess.StartAsync(DataDirectory, parentPid: parent.Id);
        Assert.False(await store.ExitsWithinAsync(TimeSpan.FromSeconds(1.5)), "The store stopped while its parent was running.");

        parent.Kill();
        await parent.WaitForExitAsync();

        Assert.True(await store.ExitsWithinAsync(TimeSpan.FromSeconds(5)), "The store kept running after its parent was gone.");
    }

    [Fact]
    public async Task A_restart_keeps_the_headers_metadata_and_etag_of_single_and_multipart_objects()
    {
        const string single = "reports/0001/summary.json", assembled = "reports/0001/scores.csv";
        var content = Payloads.Random(6 * 1024 * 1024, seed: 31);
        string singleETag, assembledETag;
        await using (var first = await ObjectStoreProcess.StartAsync(DataDirectory))
        {
            using var client = new ServiceS3Client(first.ConnectionString);
            singleETag = (await client.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = client.Bucket, Key = single, ContentBody = "{}", ContentType = "application/json",
                Metadata = { ["run-id"] = "0001", ["stage"] = "validation" },
            })).ETag;
            var started = await client.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = client.Bucket, Key = assembled, ContentType = "text/csv", Metadata = { ["rows"] = "600000" },
            });
            var part = await client.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = client.Bucket, Key = assembled, UploadId = started.UploadId, PartNumber = 1, InputStream = new MemoryStream(content),
            });
            assembledETag = (await client.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = client.Bucket, Key = assembled, UploadId = started.UploadId, PartETags = [new PartETag(1, part.ETag)],
            })).ETag;
            await first.KillAsync();
        }

        await using var second = await ObjectStoreProcess.StartAsync(DataDirectory);
        using var after = new ServiceS3Client(second.ConnectionString);
        var singleHead = await after.S3.GetObjectMetadataAsync(after.Bucket, single);
        var assembledHead = await after.S3.GetObjectMetadataAsync(after.Bucket, assembled);

        Assert.Equal(("application/json", "0001", "validation", singleETag),
            (singleHead.Headers.ContentType, singleHead.Metadata["run-id"], singleHead.Metadata["stage"], singleHead.ETag));
        Assert.Equal(("text/csv", "600000", assembledETag, (long)content.Length),
            (assembledHead.Headers.ContentType, assembledHead.Metadata["rows"], assembledHead.ETag, assembledHead.ContentLength));
        Assert.EndsWith("-1\"", assembledHead.ETag);
    }
}
