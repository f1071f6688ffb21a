using System.Text.Json.Serialization;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// What the store keeps beside an object's bytes (one small JSON file per object): the headers a GET gives back, the
/// ETag (MD5 hex, or "md5-of-part-md5s-N" for a multipart upload, without quotes) and the size it was written with.
/// </summary>
public sealed record ObjectMetadata
{
    public string ContentType { get; init; } = "application/octet-stream";

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? CacheControl { get; init; }

    public Dictionary<string, string> UserMetadata { get; init; } = [];

    public string ETag { get; init; } = "";

    public long Size { get; init; }
}

[JsonSerializable(typeof(ObjectMetadata))]
[JsonSerializable(typeof(PendingUpload))]
internal sealed partial class StoreJson : JsonSerializerContext;
