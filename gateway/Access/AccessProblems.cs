using System.Globalization;
using Microsoft.Net.Http.Headers;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Gateway.Access;

/// <summary>The gateway's answers to requests it will not forward, as problem+json.</summary>
public static class AccessProblems
{
    public static Task MissingKey(HttpContext context) =>
        Unauthorized(context, "An API key is required: send it in the X-Api-Key header (or as Authorization: Bearer <key>).");

    public static Task InvalidKey(HttpContext context) =>
        Unauthorized(context, "The API key is unknown, malformed or revoked.");

    public static Task MissingScope(HttpContext context, string scope) =>
        Write(context, StatusCodes.Status403Forbidden, "Forbidden", $"This API key lacks the '{scope}' scope needed for {context.Request.Method} {context.Request.Path}.");

    public static Task AdminKeyNotForApi(HttpContext context) =>
        Write(context, StatusCodes.Status403Forbidden, "Forbidden", "The admin key only manages API keys (/api/admin/keys); create an API key for other calls.");

    public static Task TooManyRequests(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Write(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"This API key's rate limit is used up; retry in {retryAfterSeconds} s.");
    }

    private static Task Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    private static Task Write(HttpContext context, int statusCode, string title, string detail) =>
        ApiProblem.WriteAsync(context, statusCode, title, detail);
}
