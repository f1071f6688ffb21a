using System.Globalization;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>Object headers: taken from a PUT or an initiated upload, given back on GET and HEAD.</summary>
public static class S3Headers
{
    private const string MetaPrefix = "x-amz-meta-";

    public static ObjectMetadata FromRequest(HttpRequest request)
    {
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase)) user[name[MetaPrefix.Length..].ToLowerInvariant()] = value.ToString();
        }
        // aws-chunked describes how this request's body was sent, not the object: it is not kept.
        var encodings = request.Headers.ContentEncoding.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)).ToList();
        return new ObjectMetadata
        {
            ContentType = string.IsNullOrEmpty(request.ContentType) ? "application/octet-stream" : request.ContentType,
            ContentEncoding = encodings.Count == 0 ? null : string.Join(", ", encodings),
            ContentDisposition = NullIfEmpty(request.Headers.ContentDisposition.ToString()),
            CacheControl = NullIfEmpty(request.Headers.CacheControl.ToString()),
            UserMetadata = user,
        };
    }

    /// <summary>Whether the body is SigV4 streaming (<c>aws-chunked</c>), which must be decoded to the object's bytes.</summary>
    public static bool IsAwsChunked(HttpRequest request) =>
        request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal)
        || request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>The object length the client announced: the decoded length of an aws-chunked body, else Content-Length.</summary>
    public static long? ExpectedLength(HttpRequest request, bool awsChunked)
    {
        if (!awsChunked) return request.ContentLength;
        return long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length : null;
    }

    public static void Write(HttpResponse response, ObjectMetadata metadata, DateTime lastModified)
    {
        var headers = response.Headers;
        response.ContentType = metadata.ContentType;
        headers.ETag = Quoted(metadata.ETag);
        headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";
        if (metadata.ContentEncoding is { } encoding) headers.ContentEncoding = encoding;
        if (metadata.ContentDisposition is { } disposition) headers.ContentDisposition = disposition;
        if (metadata.CacheControl is { } cacheControl) headers.CacheControl = cacheControl;
        foreach (var (name, value) in metadata.UserMetadata) headers[MetaPrefix + name] = value;
    }

    public static string Quoted(string etag) => $"\"{etag}\"";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
