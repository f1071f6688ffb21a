using Microsoft.AspNetCore.Http.Features;
using Vigil.ObjectStore.Protocol;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>
/// The S3 REST API, path-style: <c>/</c>, <c>/{bucket}</c>, <c>/{bucket}/{key}</c>, the operation chosen by method and
/// query (S3 routes by query flags such as <c>?uploads</c> and <c>?delete</c>, which endpoint routing cannot express).
/// Every failure is answered as S3's XML error.
/// </summary>
public sealed class S3Api(FileStore store, MultipartUploads uploads, string accessKey, ILogger<S3Api> log)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = RawPath(context);
        try
        {
            var (bucket, key) = Address(path);
            var signedWith = AccessKey.Of(context.Request);
            if (signedWith is null && !(bucket is null && HttpMethods.IsGet(context.Request.Method)))
                throw new S3Exception(403, "AccessDenied", "Anonymous requests are not accepted; sign with the store's access key.");
            if (signedWith is not null && signedWith != accessKey)
                throw new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
            await RouteAsync(context, bucket, key);
        }
        catch (S3Exception e)
        {
            if (!context.Response.HasStarted) await S3Xml.WriteErrorAsync(context, e, path);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away mid-request; a partial upload was discarded with its temporary file.
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or EndOfStreamException)
        {
            if (!context.Response.HasStarted) await S3Xml.WriteErrorAsync(context, new S3Exception(400, "IncompleteBody", e.Message), path);
        }
        catch (Exception e)
        {
            log.LogError(e, "{Method} {Path} failed", context.Request.Method, path);
            if (!context.Response.HasStarted) await S3Xml.WriteErrorAsync(context, new S3Exception(500, "InternalError", e.Message), path);
        }
    }

    private Task RouteAsync(HttpContext context, string? bucket, string? key)
    {
        var method = context.Request.Method;
        var query = context.Request.Query;
        if (bucket is null)
            return HttpMethods.IsGet(method) ? BucketHandlers.ListBucketsAsync(context, store, accessKey) : throw MethodNotAllowed();

        if (key is null)
        {
            if (HttpMethods.IsPut(method)) BucketHandlers.Create(context, store, bucket);
            else if (HttpMethods.IsHead(method)) BucketHandlers.Head(store, bucket);
            else if (HttpMethods.IsDelete(method)) BucketHandlers.Delete(context, store, bucket);
            else if (HttpMethods.IsPost(method) && query.ContainsKey("delete")) return BucketHandlers.DeleteObjectsAsync(context, store, bucket);
            else if (HttpMethods.IsGet(method) && query.ContainsKey("location")) return BucketHandlers.LocationAsync(context, store, bucket);
            else if (HttpMethods.IsGet(method)) return BucketHandlers.ListObjectsAsync(context, store, bucket);
            else throw MethodNotAllowed();
            return Task.CompletedTask;
        }

        var uploadId = query["uploadId"].ToString();
        if (HttpMethods.IsPut(method))
            return uploadId.Length > 0 ? MultipartHandlers.UploadPartAsync(context, uploads, bucket, key, uploadId) : ObjectHandlers.PutAsync(context, store, bucket, key);
        if (HttpMethods.IsPost(method) && query.ContainsKey("uploads")) return MultipartHandlers.InitiateAsync(context, uploads, bucket, key);
        if (HttpMethods.IsPost(method) && uploadId.Length > 0) return MultipartHandlers.CompleteAsync(context, uploads, bucket, key, uploadId);
        if (HttpMethods.IsDelete(method))
        {
            if (uploadId.Length > 0) MultipartHandlers.Abort(context, uploads, bucket, key, uploadId);
            else ObjectHandlers.Delete(context, store, bucket, key);
            return Task.CompletedTask;
        }
        if ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && uploadId.Length > 0) throw S3Exception.NotImplemented("ListParts");
        if (HttpMethods.IsGet(method)) return ObjectHandlers.GetAsync(context, store, bucket, key, withBody: true);
        if (HttpMethods.IsHead(method)) return ObjectHandlers.GetAsync(context, store, bucket, key, withBody: false);
        throw MethodNotAllowed();
    }

    /// <summary>The request path as sent (Kestrel's decoded path keeps %2F encoded, and keys need exact decoding).</summary>
    private static string RawPath(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var query = target.IndexOf('?');
        return query >= 0 ? target[..query] : target;
    }

    /// <summary>Bucket and key of a path-style path; the key is percent-decoded ('+' stays '+').</summary>
    private static (string? Bucket, string? Key) Address(string path)
    {
        var trimmed = path.TrimStart('/');
        if (trimmed.Length == 0) return (null, null);
        var slash = trimmed.IndexOf('/');
        if (slash < 0) return (Uri.UnescapeDataString(trimmed), null);
        var bucket = Uri.UnescapeDataString(trimmed[..slash]);
        var key = Uri.UnescapeDataString(trimmed[(slash + 1)..]);
        return (bucket, key.Length == 0 ? null : key);
    }

    private static S3Exception MethodNotAllowed() => new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}
