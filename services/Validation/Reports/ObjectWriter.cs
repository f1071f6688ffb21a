using Amazon.S3;
using Amazon.S3.Model;
using Vigil.DirectFiles;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Validation.Reports;

/// <summary>
/// Writes a report of any size to the object store: produced into a temporary file first (S3 wants a length, and a
/// failure half-way must not leave half a report), then uploaded in one PUT. The file is written and read back with
/// direct I/O where the file system allows: it lives for one upload, so the page cache would only cost fresh memory.
/// </summary>
public sealed class ObjectWriter(IAmazonS3 s3, ObjectStoreOptions store)
{
    public async Task PutAsync(string key, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-report-{Guid.NewGuid():n}.tmp");
        try
        {
            using (var file = new DirectWriteStream(path, direct: true))
            {
                write(file);
            }
            await using var content = new DirectReadStream(path, direct: true);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = store.Bucket, Key = key, InputStream = content, ContentType = contentType }, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
