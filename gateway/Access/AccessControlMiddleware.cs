using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.Access;

/// <summary>
/// Guards everything under /api (health, OpenAPI and docs stay open): 401 without a valid key, 403 without the
/// endpoint's scope, 429 when the key's bucket is empty. Runs after routing, so the chosen endpoint's
/// <see cref="AccessRule"/> is known.
/// </summary>
public sealed class AccessControlMiddleware(
    RequestDelegate next,
    ApiKeyAuthenticator authenticator,
    IRateLimiter rateLimiter,
    IOptions<AccessOptions> options)
{
    public const string ApiKeyHeader = "X-Api-Key";
    private static readonly PathString ApiPath = "/api";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(ApiPath))
        {
            await next(context);
            return;
        }

        var presented = PresentedKey(context.Request.Headers);
        if (presented is null)
        {
            await AccessProblems.MissingKey(context);
            return;
        }

        var rule = context.GetEndpoint()?.Metadata.GetMetadata<AccessRule>();
        ApiKeyIdentity? identity;
        if (authenticator.IsAdminKey(presented))
        {
            if (rule is not { AcceptsAdminKey: true })
            {
                await AccessProblems.AdminKeyNotForApi(context);
                return;
            }

            identity = ApiKeyIdentity.Admin;
        }
        else if ((identity = await authenticator.AuthenticateAsync(presented, context.RequestAborted)) is null)
        {
            await AccessProblems.InvalidKey(context);
            return;
        }

        if (rule is not null && !identity.IsAdminKey && rule.RequiredScope(context.Request.Method) is var scope && !identity.HasScope(scope))
        {
            await AccessProblems.MissingScope(context, scope);
            return;
        }

        var bucket = identity.RateLimit ?? options.Value.RateLimit;
        var decision = await rateLimiter.TryAcquireAsync(identity.KeyId, bucket, context.RequestAborted);
        if (!decision.Allowed)
        {
            await AccessProblems.TooManyRequests(context, decision.RetryAfterSeconds);
            return;
        }

        context.Features.Set(identity);
        await next(context);
    }

    /// <summary>The key from X-Api-Key, or else from Authorization: Bearer; null when neither carries one.</summary>
    public static string? PresentedKey(IHeaderDictionary headers)
    {
        if (headers[ApiKeyHeader] is { Count: > 0 } apiKey && !StringValues.IsNullOrEmpty(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > bearer.Length
            ? authorization[bearer.Length..].Trim()
            : null;
    }
}
