namespace Vigil.ObjectStore.Apis;

/// <summary>
/// The access key a request was signed with, from the Authorization header's <c>Credential=</c> (SigV4), <c>AWS key:</c>
/// (SigV2) or a presigned URL's query. Signatures are not verified: the store listens on loopback only.
/// </summary>
public static class AccessKey
{
    public static string? Of(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            var credential = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (credential >= 0)
            {
                var start = credential + "Credential=".Length;
                var slash = authorization.IndexOf('/', start);
                return slash > start ? authorization[start..slash] : null;
            }
            if (authorization.StartsWith("AWS ", StringComparison.Ordinal) && authorization.IndexOf(':', 4) is var colon and > 4)
                return authorization[4..colon];
            return null;
        }
        if (request.Query["X-Amz-Credential"].ToString() is { Length: > 0 } presigned)
            return presigned.Split('/')[0];
        return request.Query["AWSAccessKeyId"].ToString() is { Length: > 0 } legacy ? legacy : null;
    }
}
