using System.Security.Cryptography;

namespace Vigil.DirectFiles;

/// <summary>
/// A request body into a file through one pooled, block-aligned 1 MiB buffer, hashed on the way: few system calls, flat
/// memory, and whole blocks for direct I/O (only the last write can be partial).
/// </summary>
public static class BodyCopy
{
    /// <summary>Copies all of <paramref name="body"/>; false, having stopped, as soon as it runs past <paramref name="maxBytes"/>.</summary>
    public static async Task<bool> ToFileAsync(Stream body, DirectWriter file, IncrementalHash hash, long maxBytes, CancellationToken cancellationToken)
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
                    if (file.Length + filled > maxBytes) return false;
                }
                hash.AppendData(buffer.Span[..filled]);
                file.Write(buffer.Span[..filled]);
            }
            return true;
        }
        finally
        {
            DirectBuffer.Return(buffer);
        }
    }
}
