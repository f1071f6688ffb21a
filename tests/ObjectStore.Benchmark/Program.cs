using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Benchmark;
using Vigil.ObjectStore.Tests.Emulator;

// Upload throughput of one large object, PutObject from memory with the client ServiceDefaults builds (as Ingest
// uploads a batch), and a multipart upload in 8 parallel parts (from 40 MB up); median of --runs, for s3rver and moto_server.
var sizeMb = ArgValue("--size-mb", 200);
var runs = ArgValue("--runs", 3);
var content = new byte[sizeMb * 1024 * 1024];
new Random(200).NextBytes(content);
Console.WriteLine($"object: {sizeMb} MB, runs: {runs}, machine: {Environment.ProcessorCount} cores");
Console.WriteLine("store      | method            | median MB/s | runs (MB/s)            | emulator peak RSS");

var dataDirectory = Path.Combine(Path.GetTempPath(), $"vigil-objectstore-bench-{Guid.NewGuid():N}");
try
{
    await using (var s3rver = await ObjectStoreProcess.StartAsync(dataDirectory))
    {
        Console.WriteLine($"s3rver     | ready {s3rver.TimeToReady.TotalSeconds:F2} s after start");
        using var client = new ServiceS3Client(s3rver.ConnectionString);
        await MeasureAsync("s3rver", client, s3rver.ProcessId);
    }
}
finally
{
    if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
}

try
{
    await using var moto = await MotoProcess.StartAsync();
    using var client = new ServiceS3Client(moto.ConnectionString);
    await client.S3.PutBucketAsync(client.Bucket);
    await MeasureAsync("moto", client, moto.ProcessId);
}
catch (System.ComponentModel.Win32Exception)
{
    Console.WriteLine("moto       | (moto_server is not on PATH: skipped)");
}

async Task MeasureAsync(string store, ServiceS3Client client, int processId)
{
    foreach (var (method, upload) in new (string, Func<IAmazonS3, string, string, Task>)[] { ("PutObject", PutAsync), ("multipart 8 parts", MultipartAsync) })
    {
        if (method != "PutObject" && sizeMb < 40) continue; // S3 parts are at least 5 MB
        var rates = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var key = $"bench/{Guid.NewGuid():N}.bin";
            var watch = Stopwatch.StartNew();
            await upload(client.S3, client.Bucket, key);
            watch.Stop();
            rates.Add(sizeMb / watch.Elapsed.TotalSeconds);
            var head = await client.S3.GetObjectMetadataAsync(client.Bucket, key);
            if (head.ContentLength != content.Length) throw new InvalidOperationException($"{store} stored {head.ContentLength} bytes, not {content.Length}.");
            await client.S3.DeleteObjectAsync(client.Bucket, key);
        }
        var median = rates.Order().ElementAt(rates.Count / 2);
        Console.WriteLine($"{store,-10} | {method,-17} | {median,11:F1} | {string.Join(", ", rates.Select(r => r.ToString("F1"))),-22} | {PeakRssMb(processId)} MB");
    }
}

Task PutAsync(IAmazonS3 s3, string bucket, string key) =>
    s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content, writable: false) });

async Task MultipartAsync(IAmazonS3 s3, string bucket, string key)
{
    const int parts = 8;
    var partSize = content.Length / parts;
    var started = await s3.InitiateMultipartUploadAsync(bucket, key);
    var etags = await Task.WhenAll(Enumerable.Range(0, parts).Select(async index =>
    {
        var length = index == parts - 1 ? content.Length - index * partSize : partSize;
        var part = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = started.UploadId, PartNumber = index + 1,
            InputStream = new MemoryStream(content, index * partSize, length, writable: false),
        });
        return new PartETag(index + 1, part.ETag);
    }));
    await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = started.UploadId, PartETags = [.. etags] });
}

static string PeakRssMb(int processId)
{
    // VmHWM: the process's peak resident set (Linux only).
    var status = $"/proc/{processId}/status";
    if (!File.Exists(status)) return "?";
    var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).ToString();
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
}
