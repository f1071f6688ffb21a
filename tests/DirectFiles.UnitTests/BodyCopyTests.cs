using System.Security.Cryptography;

namespace Vigil.DirectFiles.UnitTests;

public sealed class BodyCopyTests : ScratchFolder
{
    [Theory]
    [InlineData(0)]
    [InlineData(DirectBuffer.Size)]
    [InlineData(2 * DirectBuffer.Size + 1)]
    public async Task Copies_and_hashes_a_body_of_exactly_the_limit(int size)
    {
        var content = Bytes(size, seed: size);
        var path = NewPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        bool copied;
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            copied = await BodyCopy.ToFileAsync(new MemoryStream(content), new DirectWriter(handle, direct: true), hash, maxBytes: size, CancellationToken.None);
        }

        Assert.True(copied);
        Assert.Equal(SHA256.HashData(content), hash.GetHashAndReset());
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Stops_at_the_first_read_past_the_limit_without_writing_it()
    {
        var content = Bytes(3 * DirectBuffer.Size, seed: 11);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = new MemoryStream(content);
        using var handle = File.OpenHandle(NewPath(), FileMode.CreateNew, FileAccess.Write);
        var writer = new DirectWriter(handle, direct: true);

        var copied = await BodyCopy.ToFileAsync(body, writer, hash, maxBytes: DirectBuffer.Size + 1, CancellationToken.None);

        Assert.False(copied);
        Assert.Equal(DirectBuffer.Size, writer.Length);
        Assert.True(body.Position < content.Length);
    }
}
