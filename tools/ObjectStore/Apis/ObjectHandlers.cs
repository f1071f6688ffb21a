using System.Buffers;
using System.Globalization;
using Vigil.ObjectStore.Protocol;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>PutObject, GetObject (whole or one range), HeadObject, DeleteObject.</summary>
public static class ObjectHandlers
{
    private const int ReadBuffer = 256 * 1024;

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

            var buffer = ArrayPool<byte>.Shared.Rent(ReadBuffer);
            try
            {
                var end = start + length;
                for (var offset = start; offset < end;)
                {
                    var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - offset)), offset);
                    if (read == 0) throw new IOException(string.Create(CultureInfo.InvariantCulture, $"'{key}' ended at {offset} of {end} bytes while being read."));
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    offset += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public static void Delete(HttpContext context, FileStore store, string bucket, string key)
    {
        store.Delete(bucket, key);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
