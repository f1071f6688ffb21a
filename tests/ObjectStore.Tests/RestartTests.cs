using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>What issue 14 asks of the local store: an AppHost restart (the emulator process ending and a new one starting on the same folder) loses nothing.</summary>
public sealed class RestartTests : TemporaryDataDirectory
{
    [Fact]
    public async Task Objects_written_before_the_process_is_killed_are_served_by_the_next_one()
    {
        var report = Payloads.Random(2_000_000, seed: 7);
        const string reportKey = "runs/0001/validation/report.json";
        const string batchKey = "batches/0001/raw.csv";

        await using (var first = await ObjectStoreProcess.StartAsync(DataDirectory))
        {
            using var client = new ServiceS3Client(first.ConnectionString);
            await client.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = client.Bucket, Key = reportKey, InputStream = new MemoryStream(report), ContentType = "application/json",
                Metadata = { ["run-id"] = "0001" },
            });
            await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = batchKey, ContentBody = "id,value\n1,2\n" });
            await first.KillAsync();
        }

        await using var second = await ObjectStoreProcess.StartAsync(DataDirectory);
        using var after = new ServiceS3Client(second.ConnectionString);

        using (var read = await after.S3.GetObjectAsync(after.Bucket, reportKey))
        {
            Assert.Equal(Payloads.Sha256(report), await Payloads.Sha256Async(read.ResponseStream));
            Assert.Equal("application/json", read.Headers.ContentType);
            Assert.Equal("0001", read.Metadata["run-id"]);
        }
        var listed = await after.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = after.Bucket });
        Assert.Equal([batchKey, reportKey], listed.S3Objects.Select(o => o.Key));
        // The restarted store takes new writes in the same bucket.
        await after.S3.PutObjectAsync(new PutObjectRequest { BucketName = after.Bucket, Key = "runs/0002/report.json", ContentBody = "{}" });
        Assert.Equal(3, (await after.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = after.Bucket })).KeyCount);
    }

    [Fact]
    public async Task A_stop_request_ends_the_process_cleanly_and_keeps_the_bucket_and_its_objects()
    {
        var model = Payloads.Random(3_000_000, seed: 12);
        const string key = "models/churn/v1/model.onnx";

        await using (var first = await ObjectStoreProcess.StartAsync(DataDirectory))
        {
            using var client = new ServiceS3Client(first.ConnectionString);
            await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = key, InputStream = new MemoryStream(model) });
            Assert.Equal(0, await first.StopAsync());
        }

        await using var second = await ObjectStoreProcess.StartAsync(DataDirectory);
        using var after = new ServiceS3Client(second.ConnectionString);
        using var read = await after.S3.GetObjectAsync(after.Bucket, key);
        Assert.Equal(Payloads.Sha256(model), await Payloads.Sha256Async(read.ResponseStream));
    }
}
