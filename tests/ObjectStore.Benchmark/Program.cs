using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ObjectStore.Benchmark;
using Vigil.ObjectStore.Tests.Emulator;

// Throughput of one large object with the client ServiceDefaults builds: PutObject from memory (as Ingest uploads a
// batch), GetObject of it read to the end, and a multipart upload in 8 parallel parts (from 40 MB up); median of --runs,
// for Vigil's store and moto_server, with the CPU time (user + system) the store's process spent on each method's runs
// (after a warm-up, so start-up and JIT compilation are not counted).
var sizeMb = ArgValue("--size-mb", 200);
var runs = ArgValue("--runs", 3);
var content = new byte[sizeMb * 1024 * 1024];
new Random(200).NextBytes(content);
Console.WriteLine($"object: {sizeMb} MB, runs: {runs}, machine: {Environment.ProcessorCount} cores");
Console.WriteLine("store      | method            | median MB/s | runs (MB/s)            | store CPU s (all runs) | CPU ms/MB | emulator peak RSS");

var dataDirectory = Path.Combine(Path.GetTempPath(), $"vigil-objectstore-bench-{Guid.NewGuid():N}");
try
{
    await using (var store = await ObjectStoreProcess.StartAsync(dataDirectory))
    {
        Console.WriteLine($"{ObjectStoreProcess.Name,-10} | ready {store.TimeToReady.TotalSeconds:F2} s after start");
        using var client = new ServiceS3Client(store.ConnectionString);
        await MeasureAsync(ObjectStoreProcess.Name, client, store.ProcessId);
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
    var methods = new (string Name, Func<IAmazonS3, string, string, Task> Run, bool Upload)[]
    {
        ("PutObject", PutAsync, true), ("GetObject", GetAsync, false), ("multipart 8 parts", MultipartAsync, true),
    };
    // A store that has already served requests, as in a running Vigil: each method three times on 12 MB, then a pause for
    // the runtime's background re-compilation of hot code (JIT), none of it measured.
    for (var round = 0; round < 3; round++) await WarmUpAsync(client);
    await Task.Delay(TimeSpan.FromSeconds(3));
    var stored = new List<string>();
    foreach (var (method, run, upload) in methods)
    {
        if (method.StartsWith("multipart", StringComparison.Ordinal) && sizeMb < 40) continue; // S3 parts are at least 5 MB
        var rates = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var index = 0; index < runs; index++)
        {
            // Uploads write a new key; GetObject reads back what the PutObject runs stored.
            var key = upload ? $"bench/{Guid.NewGuid():N}.bin" : stored[index];
            var cpuBefore = ProcessCpu.Of(processId);
            var watch = Stopwatch.StartNew();
            await run(client.S3, client.Bucket, key);
            watch.Stop();
            cpu += ProcessCpu.Of(processId) - cpuBefore;
            rates.Add(sizeMb / watch.Elapsed.TotalSeconds);
            var head = await client.S3.GetObjectMetadataAsync(client.Bucket, key);
            if (head.ContentLength != content.Length) throw new InvalidOperationException($"{store} stored {head.ContentLength} bytes, not {content.Length}.");
            if (method == "PutObject") stored.Add(key);
            else await client.S3.DeleteObjectAsync(client.Bucket, key);
        }
        var median = rates.Order().ElementAt(rates.Count / 2);
        var perMb = cpu.TotalMilliseconds / (sizeMb * (double)runs);
        Console.WriteLine($"{store,-10} | {method,-17} | {median,11:F1} | {string.Join(", ", rates.Select(r => r.ToString("F1"))),-22} | {cpu.TotalSeconds,22:F2} | {perMb,9:F2} | {PeakRssMb(processId)} MB");
    }
}

Task PutAsync(IAmazonS3 s3, string bucket, string key) =>
    s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content, writable: false) });

// PutObject, GetObject and a 2-part upload of 12 MB.
async Task WarmUpAsync(ServiceS3Client client)
{
    var small = content.AsMemory(0, 12 * 1024 * 1024).ToArray();
    var key = $"bench/warm-up-{Guid.NewGuid():N}.bin";
    await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = key, InputStream = new MemoryStream(small) });
    await GetAsync(client.S3, client.Bucket, key);
    var started = await client.S3.InitiateMultipartUploadAsync(client.Bucket, key);
    var parts = new List<PartETag>();
    for (var part = 0; part < 2; part++)
    {
        var uploaded = await client.S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = client.Bucket, Key = key, UploadId = started.UploadId, PartNumber = part + 1,
            InputStream = new MemoryStream(small, part * small.Length / 2, small.Length / 2, writable: false),
        });
        parts.Add(new PartETag(part + 1, uploaded.ETag));
    }
    await client.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = client.Bucket, Key = key, UploadId = started.UploadId, PartETags = parts });
    await client.S3.DeleteObjectAsync(client.Bucket, key);
}

async Task GetAsync(IAmazonS3 s3, string bucket, string key)
{
    using var read = await s3.GetObjectAsync(bucket, key);
    await read.ResponseStream.CopyToAsync(Stream.Null);
}

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
