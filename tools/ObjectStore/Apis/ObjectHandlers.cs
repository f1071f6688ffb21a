using Vigil.DirectFiles;
using Vigil.ObjectStore.Protocol;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>PutObject, GetObject (whole or one range), HeadObject, DeleteObject.</summary>
public static class ObjectHandlers
{
    public static async Task PutAsync(HttpContext context, FileStore store, string bucket, string key)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey("x-amz-copy-source")) throw S3Exception.NotImplemented("CopyObject");
        var awsChunked = S3Headers.IsAwsChunked(request);
        var body = awsChunked ? new AwsChunkedStream(request.Body) : request.Body;
        var stored = await store.PutAsync(bucket, key, body, S3Headers.FromRequest(request), S3Headers.ExpectedLength(request, awsChunked),
            context.RequestAborted);
        context.Response.Headers.ETag = S3Headers.Quoted(stored.ETag);
    }

    public static async Task GetAsync(HttpContext context, FileStore store, string bucket, string key, bool withBody)
    {
        var (handle, size, metadata, lastModified) = store.Open(bucket, key);
        using (handle)
        {
            var response = context.Response;
            var range = ByteRange.Parse(context.Request.Headers.Range.ToString(), size);
            S3Headers.Write(response, metadata, lastModified);
            var (start, length) = range is { } r ? (r.Start, r.Length) : (0L, size);
            if (range is { } partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = partial.ContentRange(size);
            }
            response.ContentLength = length;
            if (!withBody) return;

            using var chunks = new FileChunks(handle, start, length, store.DirectIo);
            for (var chunk = chunks.Next(); !chunk.IsEmpty; chunk = chunks.Next())
                await response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    }

    public static void Delete(HttpContext context, FileStore store, string bucket, string key)
    {
        store.Delete(bucket, key);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
