using System.Security.Cryptography;

namespace Vigil.ObjectStore.Tests;

/// <summary>Reproducible pseudo-random object contents and their digests.</summary>
public static class Payloads
{
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    public static async Task<string> Sha256Async(Stream stream) => Convert.ToHexString(await SHA256.HashDataAsync(stream));

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A key no other test (or earlier run against the same folder) uses.</summary>
    public static string UniqueKey(string area, string name = "object.bin") => $"tests/{area}/{Guid.NewGuid():N}/{name}";
}
