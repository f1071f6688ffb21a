namespace Vigil.DirectFiles.UnitTests;

public sealed class DirectWriteStreamTests : ScratchFolder
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 1)]
    [InlineData(DirectBuffer.Size, 4096)]
    [InlineData(3 * DirectBuffer.Size + 17, 65_536)]
    [InlineData(2 * DirectBuffer.Size + 1, 7_001)]
    public void Writes_of_any_size_land_byte_for_byte_once_disposed(int size, int pieces)
    {
        var content = Bytes(size, seed: size);
        var path = NewPath();

        using (var stream = new DirectWriteStream(path, direct: true))
        {
            for (var offset = 0; offset < size; offset += pieces)
            {
                stream.Write(content, offset, Math.Min(pieces, size - offset));
                stream.Flush();
            }
            Assert.Equal(size, stream.Position);
        }

        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Whole_buffers_bypass_the_page_cache_even_when_flushed_between_writes()
    {
        var content = Bytes(4 * DirectBuffer.Size + 10, seed: 4);
        var path = NewPath();

        using (var stream = new DirectWriteStream(path, direct: true))
        {
            foreach (var piece in content.Chunk(10_000))
            {
                stream.Write(piece);
                stream.Flush();
            }
        }

        Assert.InRange(ResidentBytes(path), 0, DirectIo.Alignment);
    }

    [Fact]
    public void A_file_that_exists_is_not_overwritten()
    {
        var path = NewPath();
        File.WriteAllText(path, "kept");

        Assert.Throws<IOException>(() => new DirectWriteStream(path, direct: true));
        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void Writing_after_dispose_is_refused()
    {
        var stream = new DirectWriteStream(NewPath(), direct: true);
        stream.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stream.Write([1, 2, 3]));
        Assert.False(stream.CanWrite);
    }
}
