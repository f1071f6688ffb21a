namespace Vigil.DirectFiles.UnitTests;

public sealed class DirectReadStreamTests : ScratchFolder
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(DirectIo.Alignment + 1)]
    [InlineData(3 * DirectBuffer.Size + 12_345)]
    public void Reads_the_whole_file_in_small_reads(int size)
    {
        var content = Bytes(size, seed: size);
        var path = WriteDirect(content);

        using var stream = new DirectReadStream(path, direct: true);
        using var copy = new MemoryStream();
        var buffer = new byte[7_001];
        int read;
        while ((read = stream.Read(buffer)) > 0) copy.Write(buffer, 0, read);

        Assert.Equal(size, stream.Length);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(size, stream.Position);
    }

    [Fact]
    public void A_direct_read_leaves_the_file_out_of_the_page_cache()
    {
        var content = Bytes(8 * DirectBuffer.Size, seed: 8);
        var path = WriteDirect(content);
        Assert.Equal(0, ResidentBytes(path));

        using (var stream = new DirectReadStream(path, direct: true))
        {
            stream.CopyTo(Stream.Null);
        }

        Assert.Equal(0, ResidentBytes(path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(DirectIo.Alignment - 1)]
    [InlineData(DirectBuffer.Size + 3)]
    public void Seeking_to_an_unaligned_position_reads_on_from_there(int position)
    {
        var content = Bytes(2 * DirectBuffer.Size + 99, seed: position);
        using var stream = new DirectReadStream(WriteDirect(content), direct: true);
        stream.ReadExactly(new byte[10]);

        stream.Position = position;
        var rest = new byte[content.Length - position];
        stream.ReadExactly(rest);

        Assert.Equal(content[position..], rest);
        Assert.Equal(0, stream.Read(new byte[1]));
    }

    [Fact]
    public async Task Reading_again_after_seeking_to_the_start_gives_the_same_bytes_as_a_retrying_client_needs()
    {
        var content = Bytes(DirectBuffer.Size + 5, seed: 9);
        await using var stream = new DirectReadStream(WriteDirect(content), direct: true);
        var first = new MemoryStream();
        await stream.CopyToAsync(first);

        stream.Seek(0, SeekOrigin.Begin);
        var second = new MemoryStream();
        await stream.CopyToAsync(second);

        Assert.Equal(content, first.ToArray());
        Assert.Equal(content, second.ToArray());
    }

    [Fact]
    public void Seeking_before_the_start_is_refused()
    {
        using var stream = new DirectReadStream(WriteDirect(Bytes(10, seed: 10)), direct: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(-1, SeekOrigin.Begin));
    }

    private string WriteDirect(byte[] content)
    {
        var path = NewPath();
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var writer = new DirectWriter(handle, direct: true);
        var buffer = DirectBuffer.Rent();
        for (var offset = 0; offset < content.Length; offset += DirectBuffer.Size)
        {
            var piece = content.AsSpan(offset, Math.Min(DirectBuffer.Size, content.Length - offset));
            piece.CopyTo(buffer.Span);
            writer.Write(buffer.Span[..piece.Length]);
        }
        DirectBuffer.Return(buffer);
        return path;
    }
}
