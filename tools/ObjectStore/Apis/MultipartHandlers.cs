using System.Globalization;
using Vigil.ObjectStore.Protocol;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.</summary>
public static class MultipartHandlers
{
    public static Task InitiateAsync(HttpContext context, MultipartUploads uploads, string bucket, string key)
    {
        var id = uploads.Initiate(bucket, key, S3Headers.FromRequest(context.Request));
        return S3Xml.WriteAsync(context.Response, 200, "InitiateMultipartUploadResult", xml =>
        {
            xml.WriteElementString("Bucket", S3Xml.Namespace, bucket);
            xml.WriteElementString("Key", S3Xml.Namespace, key);
            xml.WriteElementString("UploadId", S3Xml.Namespace, id);
        });
    }

    public static async Task UploadPartAsync(HttpContext context, MultipartUploads uploads, string bucket, string key, string uploadId)
    {
        var request = context.Request;
        var awsChunked = S3Headers.IsAwsChunked(request);
        var body = awsChunked ? new AwsChunkedStream(request.Body) : request.Body;
        var etag = await uploads.UploadPartAsync(bucket, key, uploadId, request.Query["partNumber"].ToString(), body,
            S3Headers.ExpectedLength(request, awsChunked), context.RequestAborted);
        context.Response.Headers.ETag = S3Headers.Quoted(etag);
    }

    public static async Task CompleteAsync(HttpContext context, MultipartUploads uploads, string bucket, string key, string uploadId)
    {
        var document = await S3Xml.ReadAsync(context.Request, context.RequestAborted);
        var parts = new List<(int, string)>();
        foreach (var part in S3Xml.Children(document, "Part"))
        {
            if (!int.TryParse(S3Xml.Child(part, "PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || S3Xml.Child(part, "ETag") is not { } etag)
                throw new S3Exception(400, "MalformedXML", "Each Part needs a PartNumber and an ETag.");
            parts.Add((number, etag));
        }
        var completed = uploads.Complete(bucket, key, uploadId, parts);
        await S3Xml.WriteAsync(context.Response, 200, "CompleteMultipartUploadResult", xml =>
        {
            xml.WriteElementString("Location", S3Xml.Namespace, $"{context.Request.Scheme}://{context.Request.Host}/{bucket}/{key}");
            xml.WriteElementString("Bucket", S3Xml.Namespace, bucket);
            xml.WriteElementString("Key", S3Xml.Namespace, key);
            xml.WriteElementString("ETag", S3Xml.Namespace, S3Headers.Quoted(completed.ETag));
        });
    }

    public static void Abort(HttpContext context, MultipartUploads uploads, string bucket, string key, string uploadId)
    {
        uploads.Abort(bucket, key, uploadId);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
