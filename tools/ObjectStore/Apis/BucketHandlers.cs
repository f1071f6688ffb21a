using System.Globalization;
using System.Text;
using Vigil.ObjectStore.Protocol;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore.Apis;

/// <summary>ListBuckets (also the readiness answer of <c>GET /</c>), CreateBucket, HeadBucket, DeleteBucket, ListObjects(V2), DeleteObjects.</summary>
public static class BucketHandlers
{
    public static Task ListBucketsAsync(HttpContext context, FileStore store, string owner) =>
        S3Xml.WriteAsync(context.Response, 200, "ListAllMyBucketsResult", xml =>
        {
            xml.WriteStartElement("Owner");
            xml.WriteElementString("ID", owner);
            xml.WriteElementString("DisplayName", owner);
            xml.WriteEndElement();
            xml.WriteStartElement("Buckets");
            foreach (var (name, created) in store.Buckets())
            {
                xml.WriteStartElement("Bucket");
                xml.WriteElementString("Name", name);
                xml.WriteElementString("CreationDate", S3Xml.Date(created));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        });

    /// <summary>Creating a bucket that exists answers 200, as S3 does in us-east-1 for its owner.</summary>
    public static void Create(HttpContext context, FileStore store, string bucket)
    {
        store.CreateBucket(bucket);
        context.Response.Headers.Location = "/" + bucket;
    }

    public static void Head(FileStore store, string bucket) => store.RequireBucket(bucket);

    public static void Delete(HttpContext context, FileStore store, string bucket)
    {
        store.DeleteBucket(bucket);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static Task LocationAsync(HttpContext context, FileStore store, string bucket)
    {
        store.RequireBucket(bucket);
        return S3Xml.WriteAsync(context.Response, 200, "LocationConstraint", _ => { });
    }

    /// <summary>
    /// ListObjectsV2 (<c>list-type=2</c>: continuation-token, start-after) or ListObjects (marker), with prefix, delimiter
    /// and max-keys. A continuation token is the last key or common prefix of the page before, base64url-encoded.
    /// </summary>
    public static Task ListObjectsAsync(HttpContext context, FileStore store, string bucket)
    {
        var query = context.Request.Query;
        var v2 = query["list-type"] == "2";
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString() is { Length: > 0 } d ? d : null;
        var urlEncoded = query["encoding-type"] == "url";
        var maxKeys = query["max-keys"].ToString() is { Length: > 0 } max
            ? int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Math.Min(parsed, 1000) : throw S3Exception.InvalidArgument("max-keys must be a non-negative integer.")
            : 1000;
        var token = query["continuation-token"].ToString();
        var after = v2 ? token.Length > 0 ? DecodeToken(token) : query["start-after"].ToString() : query["marker"].ToString();

        var page = ListingPage.Of(store.Keys(bucket, prefix), prefix, delimiter, after, maxKeys);
        string Encode(string value) => urlEncoded ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;

        return S3Xml.WriteAsync(context.Response, 200, "ListBucketResult", xml =>
        {
            xml.WriteElementString("Name", bucket);
            xml.WriteElementString("Prefix", Encode(prefix));
            if (delimiter is not null) xml.WriteElementString("Delimiter", Encode(delimiter));
            xml.WriteElementString("MaxKeys", maxKeys.ToString(CultureInfo.InvariantCulture));
            if (urlEncoded) xml.WriteElementString("EncodingType", "url");
            xml.WriteElementString("IsTruncated", page.Truncated ? "true" : "false");
            if (v2)
            {
                xml.WriteElementString("KeyCount", (page.Objects.Count + page.CommonPrefixes.Count).ToString(CultureInfo.InvariantCulture));
                if (token.Length > 0) xml.WriteElementString("ContinuationToken", token);
                if (query["start-after"].ToString() is { Length: > 0 } startAfter) xml.WriteElementString("StartAfter", Encode(startAfter));
                if (page.Truncated) xml.WriteElementString("NextContinuationToken", EncodeToken(page.Last!));
            }
            else
            {
                xml.WriteElementString("Marker", Encode(after));
                if (page.Truncated) xml.WriteElementString("NextMarker", Encode(page.Last!));
            }
            foreach (var (key, size, lastModified) in page.Objects)
            {
                xml.WriteStartElement("Contents");
                xml.WriteElementString("Key", Encode(key));
                xml.WriteElementString("LastModified", S3Xml.Date(lastModified));
                xml.WriteElementString("ETag", S3Headers.Quoted(store.ListedETag(bucket, key, size)));
                xml.WriteElementString("Size", size.ToString(CultureInfo.InvariantCulture));
                xml.WriteElementString("StorageClass", "STANDARD");
                xml.WriteEndElement();
            }
            foreach (var common in page.CommonPrefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.WriteElementString("Prefix", Encode(common));
                xml.WriteEndElement();
            }
        });
    }

    /// <summary>DeleteObjects: each named key deleted (a missing key counts as deleted, as in S3); Quiet lists only errors.</summary>
    public static async Task DeleteObjectsAsync(HttpContext context, FileStore store, string bucket)
    {
        store.RequireBucket(bucket);
        var document = await S3Xml.ReadAsync(context.Request, context.RequestAborted);
        var quiet = string.Equals(S3Xml.Child(document, "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var results = new List<(string Key, S3Exception? Error)>();
        foreach (var entry in S3Xml.Children(document, "Object"))
        {
            var key = S3Xml.Child(entry, "Key") ?? "";
            try
            {
                store.Delete(bucket, key);
                results.Add((key, null));
            }
            catch (S3Exception e)
            {
                results.Add((key, e));
            }
        }
        if (results.Count > 1000) throw new S3Exception(400, "MalformedXML", "DeleteObjects takes at most 1000 keys.");
        await S3Xml.WriteAsync(context.Response, 200, "DeleteResult", xml =>
        {
            foreach (var (key, error) in results)
            {
                if (error is null && quiet) continue;
                xml.WriteStartElement(error is null ? "Deleted" : "Error");
                xml.WriteElementString("Key", key);
                if (error is not null)
                {
                    xml.WriteElementString("Code", error.Code);
                    xml.WriteElementString("Message", error.Message);
                }
                xml.WriteEndElement();
            }
        });
    }

    private static string EncodeToken(string last) => Convert.ToBase64String(Encoding.UTF8.GetBytes(last)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeToken(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw S3Exception.InvalidArgument("The continuation token is not one this store issued.");
        }
    }
}
