using System.Buffers;
using System.Security.Cryptography;

namespace Vigil.Ingest.Intake;

/// <summary>
/// An upload copied to a temporary file while its SHA-256 is computed, so a batch of any size passes through
/// with a fixed-size buffer, and its hash (for idempotency) is known before anything is stored. Deleted on dispose.
/// </summary>
public sealed class SpooledBatch : IAsyncDisposable
{
    private const int BufferSize = 128 * 1024;

    private SpooledBatch(string path, long size, string sha256)
    {
        Path = path;
        Size = size;
        Sha256 = sha256;
    }

    public string Path { get; }
    public long Size { get; }
    public string Sha256 { get; }

    /// <summary>Spools <paramref name="body"/>; null when it exceeds <paramref name="maxBytes"/> (the partial file is removed).</summary>
    public static async Task<SpooledBatch?> SpoolAsync(Stream body, long maxBytes, string? directory, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"vigil-batch-{Guid.NewGuid():n}.part");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var completed = false;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes) return null;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            completed = true;
            return new SpooledBatch(path, size, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!completed) File.Delete(path);
        }
    }

    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
