using Amazon.S3;
using Amazon.S3.Model;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Validation.Reports;

/// <summary>
/// Writes a report of any size to the object store: produced into a temporary file first (S3 wants a length, and a
/// failure half-way must not leave half a report), then uploaded in one PUT.
/// </summary>
public sealed class ObjectWriter(IAmazonS3 s3, ObjectStoreOptions store)
{
    public async Task PutAsync(string key, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-report-{Guid.NewGuid():n}.tmp");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                write(file);
            }
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = store.Bucket, Key = key, FilePath = path, ContentType = contentType }, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
