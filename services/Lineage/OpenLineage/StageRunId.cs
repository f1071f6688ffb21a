using System.Security.Cryptography;
using System.Text;

namespace Vigil.Lineage.OpenLineage;

/// <summary>
/// Each stage of a Vigil run is its own OpenLineage run, whose id is a name-based UUID (version 5, RFC 9562) of the
/// stage name within the Vigil run's id: the same on every redelivery, different per stage, and a valid UUID.
/// </summary>
public static class StageRunId
{
    public static Guid For(Guid vigilRunId, string stage) => NameBased(vigilRunId, stage);

    /// <summary>UUID version 5: SHA-1 over the namespace id (network byte order) and the UTF-8 name.</summary>
    public static Guid NameBased(Guid namespaceId, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
