using System.Security.Cryptography;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// A request body into a file through one pooled, block-aligned 1 MiB buffer, hashed on the way: few system calls, flat
/// memory, whole blocks for direct I/O (only the last write can be partial).
/// </summary>
public static class BodyCopy
{
    public static async Task ToFileAsync(Stream body, TemporaryFile file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = DirectBuffer.Rent();
        try
        {
            var ended = false;
            while (!ended)
            {
                // Fill the buffer before writing: the body arrives in pieces of a few KB.
                var filled = 0;
                while (filled < DirectBuffer.Size)
                {
                    var read = await body.ReadAsync(buffer.Memory[filled..], cancellationToken);
                    if (read == 0)
                    {
                        ended = true;
                        break;
                    }
                    filled += read;
                }
                hash.AppendData(buffer.Span[..filled]);
                file.Write(buffer.Span[..filled]);
            }
        }
        finally
        {
            DirectBuffer.Return(buffer);
        }
    }
}
