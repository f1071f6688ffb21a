namespace Vigil.DirectFiles.UnitTests;

public sealed class DirectWriterTests : ScratchFolder
{
    private const int Block = DirectIo.Alignment;

    [Fact]
    public void Aligned_blocks_bypass_the_page_cache_and_only_the_tail_is_cached()
    {
        var path = NewPath();
        var content = Bytes(4 * DirectBuffer.Size + 100, seed: 1);

        var stayedDirect = Write(path, content, direct: true, pieces: DirectBuffer.Size);

        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.True(stayedDirect);
        // Read back through the page cache above, so check a fresh file for what the writes themselves left.
        var second = NewPath();
        Write(second, content, direct: true, pieces: DirectBuffer.Size);
        Assert.InRange(ResidentBytes(second), 0, Block);
    }

    [Fact]
    public void Without_direct_io_the_same_writes_are_cached()
    {
        var path = NewPath();
        var content = Bytes(4 * DirectBuffer.Size, seed: 2);

        Write(path, content, direct: false, pieces: DirectBuffer.Size);

        Assert.Equal(content.Length, ResidentBytes(path));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(Block - 1, Block)]
    [InlineData(Block + 1, Block)]
    [InlineData(3 * DirectBuffer.Size + 5, DirectBuffer.Size)]
    [InlineData(3 * DirectBuffer.Size + 5, 1000)]
    [InlineData(2 * DirectBuffer.Size, Block + 1)]
    public void Any_sequence_of_writes_lands_byte_for_byte(int size, int pieces)
    {
        var path = NewPath();
        var content = Bytes(size, seed: size ^ pieces);

        Write(path, content, direct: true, pieces);

        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_plain_array_is_written_through_the_page_cache_from_its_first_byte()
    {
        var path = NewPath();
        var content = Bytes(2 * DirectBuffer.Size, seed: 3);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var writer = new DirectWriter(handle, direct: true);
        var unaligned = new byte[content.Length + 1];
        content.CopyTo(unaligned, 1);

        writer.Write(unaligned.AsSpan(1));

        Assert.False(writer.IsDirect);
        handle.Dispose();
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Append_copies_a_whole_file_after_what_was_written()
    {
        var head = Bytes(DirectBuffer.Size, seed: 4);
        var part = Bytes(DirectBuffer.Size * 2 + 777, seed: 5);
        var partPath = NewPath();
        File.WriteAllBytes(partPath, part);
        var path = NewPath();
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var writer = new DirectWriter(handle, direct: true);
            WriteFromBuffer(writer, head);
            using var source = File.OpenHandle(partPath, FileMode.Open, FileAccess.Read);
            writer.Append(source);
            Assert.Equal(head.Length + part.Length, writer.Length);
        }

        Assert.Equal([.. head, .. part], File.ReadAllBytes(path));
    }

    [Fact]
    public void Advance_past_an_unaligned_count_stops_direct_io()
    {
        using var handle = File.OpenHandle(NewPath(), FileMode.CreateNew, FileAccess.Write);
        var writer = new DirectWriter(handle, direct: true);
        Assert.True(writer.IsDirect);

        writer.Advance(Block);
        Assert.True(writer.IsDirect);
        writer.Advance(1);

        Assert.False(writer.IsDirect);
        Assert.Equal(Block + 1, writer.Length);
    }

    /// <summary>Writes <paramref name="content"/> in pieces of at most <paramref name="pieces"/> bytes from a direct buffer; whether the writer stayed direct.</summary>
    private static bool Write(string path, byte[] content, bool direct, int pieces)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var writer = new DirectWriter(handle, direct);
        var buffer = DirectBuffer.Rent();
        try
        {
            var stayedDirect = true;
            for (var offset = 0; offset < content.Length; offset += pieces)
            {
                var piece = content.AsSpan(offset, Math.Min(pieces, content.Length - offset));
                piece.CopyTo(buffer.Span);
                stayedDirect &= writer.IsDirect;
                writer.Write(buffer.Span[..piece.Length]);
            }
            Assert.Equal(content.Length, writer.Length);
            return stayedDirect;
        }
        finally
        {
            DirectBuffer.Return(buffer);
        }
    }

    private static void WriteFromBuffer(DirectWriter writer, byte[] content)
    {
        var buffer = DirectBuffer.Rent();
        content.CopyTo(buffer.Span);
        writer.Write(buffer.Span[..content.Length]);
        DirectBuffer.Return(buffer);
    }
}
