using System.Security.Cryptography;
using Vigil.DirectFiles.UnitTests;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.UnitTests.Intake;

public sealed class SpooledBatchTests : IDisposable
{
    private readonly string _spool = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vigil-spool-tests-{Guid.NewGuid():n}")).FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    private static byte[] Bytes(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)(i * 31 % 251))];

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    [Fact]
    public async Task SpoolAsync_reports_the_size_and_lower_case_sha256_of_the_bytes()
    {
        var bytes = Bytes(1000);

        await using var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(bytes), maxBytes: 10_000, _spool, CancellationToken.None);

        Assert.NotNull(spooled);
        Assert.Equal(1000, spooled.Size);
        Assert.Equal(Sha256Hex(bytes), spooled.Sha256);
    }

    [Fact]
    public async Task SpoolAsync_copies_a_body_larger_than_its_buffer_byte_for_byte()
    {
        var bytes = Bytes(300 * 1024 + 17);

        await using var spooled = await SpooledBatch.SpoolAsync(new TrickleStream(bytes, chunk: 7_001), maxBytes: bytes.Length, _spool, CancellationToken.None);

        Assert.NotNull(spooled);
        Assert.Equal(bytes.Length, spooled.Size);
        Assert.Equal(Sha256Hex(bytes), spooled.Sha256);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(spooled.Path));
        await using var read = spooled.OpenRead();
        Assert.Equal(bytes.Length, read.Length);
    }

    [Fact]
    public async Task A_large_body_is_spooled_and_read_back_past_the_page_cache()
    {
        var bytes = Bytes(8 * 1024 * 1024 + 5);

        await using var spooled = await SpooledBatch.SpoolAsync(new TrickleStream(bytes, chunk: 65_536), maxBytes: bytes.Length, _spool, CancellationToken.None);
        Assert.NotNull(spooled);
        var cachedAfterSpool = PageCache.ResidentBytes(spooled.Path);
        using var copy = new MemoryStream();
        await using (var read = spooled.OpenRead()) await read.CopyToAsync(copy);

        Assert.Equal(bytes, copy.ToArray());
        // Direct I/O: at most the block holding the 5-byte tail went through the page cache, before and after the read.
        Assert.InRange(cachedAfterSpool, 0, 4096);
        Assert.InRange(PageCache.ResidentBytes(spooled.Path), 0, 4096);
    }

    [Fact]
    public async Task SpoolAsync_writes_the_file_into_the_given_directory()
    {
        await using var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(Bytes(10)), maxBytes: 100, _spool, CancellationToken.None);

        Assert.NotNull(spooled);
        Assert.Equal(_spool, Path.GetDirectoryName(spooled.Path));
        Assert.Equal([spooled.Path], Directory.GetFiles(_spool));
    }

    [Fact]
    public async Task SpoolAsync_of_an_empty_body_has_size_zero_and_the_empty_hash()
    {
        await using var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(), maxBytes: 100, _spool, CancellationToken.None);

        Assert.NotNull(spooled);
        Assert.Equal(0, spooled.Size);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", spooled.Sha256);
    }

    [Fact]
    public async Task SpoolAsync_accepts_a_body_of_exactly_the_limit()
    {
        await using var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(Bytes(4096)), maxBytes: 4096, _spool, CancellationToken.None);

        Assert.NotNull(spooled);
        Assert.Equal(4096, spooled.Size);
    }

    [Fact]
    public async Task SpoolAsync_over_the_limit_returns_null_and_leaves_no_file()
    {
        var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(Bytes(4097)), maxBytes: 4096, _spool, CancellationToken.None);

        Assert.Null(spooled);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
    }

    [Fact]
    public async Task SpoolAsync_over_the_limit_after_many_reads_leaves_no_file()
    {
        var bytes = Bytes(500 * 1024);

        var spooled = await SpooledBatch.SpoolAsync(new TrickleStream(bytes, chunk: 64 * 1024), maxBytes: 300 * 1024, _spool, CancellationToken.None);

        Assert.Null(spooled);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
    }

    [Fact]
    public async Task SpoolAsync_that_fails_while_reading_leaves_no_file()
    {
        var failing = new TrickleStream(Bytes(10_000), chunk: 1_000, failAfter: 3_000);

        await Assert.ThrowsAsync<IOException>(() => SpooledBatch.SpoolAsync(failing, maxBytes: 100_000, _spool, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
    }

    [Fact]
    public async Task Dispose_deletes_the_spooled_file()
    {
        var spooled = await SpooledBatch.SpoolAsync(new MemoryStream(Bytes(10)), maxBytes: 100, _spool, CancellationToken.None);
        Assert.NotNull(spooled);
        Assert.True(File.Exists(spooled.Path));

        await spooled.DisposeAsync();

        Assert.False(File.Exists(spooled.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
    }

    [Fact]
    public async Task Two_spools_of_the_same_bytes_have_the_same_hash_and_different_files()
    {
        var bytes = Bytes(2048);

        await using var first = await SpooledBatch.SpoolAsync(new MemoryStream(bytes), maxBytes: 4096, _spool, CancellationToken.None);
        await using var second = await SpooledBatch.SpoolAsync(new MemoryStream(bytes), maxBytes: 4096, _spool, CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.NotEqual(first.Path, second.Path);
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a network body, and can fail part-way.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk, int failAfter = int.MaxValue) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter) throw new IOException("connection reset");
            var n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
