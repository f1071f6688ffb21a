using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vigil.ServiceDefaults.ObjectStore;

/// <summary>
/// Reads of a whole object that the services then parse: a batch, its columnar spill, a model artefact, a report.
/// </summary>
/// <remarks>
/// A plain GET makes the AWS SDK hash the whole body with MD5 (managed code, one core) to compare with the ETag; for a
/// 600,000-row batch and its spill that was 0.7 CPU-s in Scoring alone, 8 % of its time per batch. The SDK leaves
/// ranged GETs unhashed, and <c>bytes=0-</c> is the whole object, so that is what is asked for. An empty object has no
/// byte 0 and answers 416, and then the plain GET is made. Integrity does not rest on the MD5: a spill carries its own
/// checks and every parser rejects a truncated body.
/// </remarks>
public static class WholeObjectReads
{
    public static async Task<GetObjectResponse> GetWholeObjectAsync(this IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange("bytes=0-") }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return await s3.GetObjectAsync(bucket, key, cancellationToken);
        }
    }
}
