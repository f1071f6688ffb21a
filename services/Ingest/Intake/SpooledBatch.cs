using System.Security.Cryptography;
using Vigil.DirectFiles;

namespace Vigil.Ingest.Intake;

/// <summary>
/// An upload copied to a temporary file while its SHA-256 is computed, so a batch of any size passes through
/// with a fixed-size buffer, and its hash (for idempotency) is known before anything is stored. Deleted on dispose.
/// The file is written and read back with direct I/O where the file system allows (<see cref="DirectIo"/>): it lives
/// for one request, so keeping it in the page cache would only cost fresh memory for every upload.
/// </summary>
public sealed class SpooledBatch : IAsyncDisposable
{
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
        var completed = false;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size;
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var writer = new DirectWriter(file, direct: true);
                if (!await BodyCopy.ToFileAsync(body, writer, hash, maxBytes, cancellationToken)) return null;
                size = writer.Length;
            }
            completed = true;
            return new SpooledBatch(path, size, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
        }
        finally
        {
            if (!completed) File.Delete(path);
        }
    }

    public Stream OpenRead() => new DirectReadStream(Path, direct: true);

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
