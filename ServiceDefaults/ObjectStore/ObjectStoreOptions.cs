using System.Data.Common;

namespace Vigil.ServiceDefaults.ObjectStore;

/// <summary>
/// S3 connection from <c>ConnectionStrings:objectstore</c> (<c>Endpoint=...;AccessKey=...;SecretKey=...;Region=...</c>)
/// and the bucket from <c>ObjectStore:Bucket</c>.
/// </summary>
public sealed record ObjectStoreOptions(Uri Endpoint, string AccessKey, string SecretKey, string Region, string Bucket)
{
    public const string DefaultBucket = "vigil";

    public static ObjectStoreOptions Parse(string connectionString, string? bucket)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string Get(string key) => parts.TryGetValue(key, out var value) && value is string { Length: > 0 } text
            ? text
            : throw new InvalidOperationException($"The object store connection string has no {key}.");
        return new ObjectStoreOptions(
            Uri.TryCreate(Get("Endpoint"), UriKind.Absolute, out var endpoint)
                ? endpoint
                : throw new InvalidOperationException("The object store connection string's Endpoint is not an absolute URL."),
            Get("AccessKey"),
            Get("SecretKey"),
            parts.TryGetValue("Region", out var region) && region is string { Length: > 0 } r ? r : "us-east-1",
            string.IsNullOrWhiteSpace(bucket) ? DefaultBucket : bucket);
    }
}
