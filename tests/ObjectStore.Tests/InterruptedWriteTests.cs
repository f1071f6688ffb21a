using Amazon.S3.Model;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>A process killed in the middle of an upload (an AppHost stopped while Ingest writes a batch) leaves the previous object whole.</summary>
public sealed class InterruptedWriteTests : TemporaryDataDirectory
{
    [Fact]
    public async Task A_kill_during_an_overwrite_keeps_the_previous_version_and_leaves_no_partial_file()
    {
        const string key = "batches/0007/raw.csv";
        var original = Payloads.Random(100_000, seed: 8);
        var replacement = new GatedStream(Payloads.Random(16 * 1024 * 1024, seed: 9), releaseAfter: 4 * 1024 * 1024);

        await using (var first = await ObjectStoreProcess.StartAsync(DataDirectory))
        {
            using var client = new ServiceS3Client(first.ConnectionString);
            await client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = key, InputStream = new MemoryStream(original) });
            using var abandon = new CancellationTokenSource();
            var overwrite = client.S3.PutObjectAsync(new PutObjectRequest { BucketName = client.Bucket, Key = key, InputStream = replacement }, abandon.Token);
            await replacement.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
            await first.KillAsync();
            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => overwrite);
        }

        await using var second = await ObjectStoreProcess.StartAsync(DataDirectory);
        using var after = new ServiceS3Client(second.ConnectionString);
        using var read = await after.S3.GetObjectAsync(after.Bucket, key);
        Assert.Equal(Payloads.Sha256(original), await Payloads.Sha256Async(read.ResponseStream));
        var listed = await after.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = after.Bucket });
        Assert.Equal([key], listed.S3Objects.Select(o => o.Key));
        Assert.Empty(Directory.EnumerateFiles(DataDirectory, "*.partial", SearchOption.AllDirectories));
    }

    /// <summary>Serves its bytes up to <c>releaseAfter</c>, then waits until the read is cancelled (or the stream disposed): an upload stuck mid-way.</summary>
    private sealed class GatedStream(byte[] content, int releaseAfter) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _disposed = new();

        public Task Stalled => _stalled.Task;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => _inner.Length;

        public override long Position
        {
            get => _inner.Position;
            set => _inner.Position = value;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_inner.Position >= releaseAfter)
            {
                _stalled.TrySetResult();
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            var allowed = (int)Math.Min(buffer.Length, releaseAfter - _inner.Position);
            return await _inner.ReadAsync(buffer[..allowed], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _disposed.Cancel();
                _disposed.Dispose();
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
