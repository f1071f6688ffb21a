namespace Vigil.ObjectStore.Protocol;

/// <summary>An S3 error answer: HTTP status, S3 error code and message, written as S3's XML error body (no body for HEAD).</summary>
public sealed class S3Exception(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static S3Exception NoSuchBucket(string bucket) => new(404, "NoSuchBucket", $"The specified bucket '{bucket}' does not exist.");

    public static S3Exception NoSuchKey() => new(404, "NoSuchKey", "The specified key does not exist.");

    public static S3Exception NoSuchUpload() => new(404, "NoSuchUpload", "The specified upload does not exist.");

    public static S3Exception InvalidArgument(string message) => new(400, "InvalidArgument", message);

    public static S3Exception NotImplemented(string what) => new(501, "NotImplemented", $"{what} is not implemented by Vigil's local object store.");
}
