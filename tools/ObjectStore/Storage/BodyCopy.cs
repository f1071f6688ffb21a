using System.Buffers;
using System.Security.Cryptography;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// A request body into a file through one pooled 256 KiB buffer, hashed on the way: few system calls, flat memory, and
/// each piece still in the CPU cache when it is written after hashing.
/// </summary>
public static class BodyCopy
{
    public const int BufferSize = 256 * 1024;

    public static async Task ToFileAsync(Stream body, TemporaryFile file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var ended = false;
            while (!ended)
            {
                // Fill the buffer before writing: the body arrives in pieces of a few KB.
                var filled = 0;
                while (filled < buffer.Length)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                    if (read == 0)
                    {
                        ended = true;
                        break;
                    }
                    filled += read;
                }
                hash.AppendData(buffer, 0, filled);
                file.Write(buffer.AsSpan(0, filled));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
