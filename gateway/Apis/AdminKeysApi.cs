using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Gateway.Access;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Gateway.Apis;

/// <summary>Key management: accepted with the configured admin key or a key with scope <c>admin</c>.</summary>
public static class AdminKeysApi
{
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapAdminKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/admin/keys").WithTags("API keys").WithMetadata(AccessRule.KeyManagement);
        api.MapPost("", CreateKey).WithName("CreateApiKey").WithSummary("Creates an API key; the answer is the only place its secret appears.");
        api.MapGet("", ListKeys).WithName("ListApiKeys").WithSummary("Every key, revoked ones included, without secrets.");
        api.MapDelete("{id}", RevokeKey).WithName("RevokeApiKey").WithSummary("Revokes a key; every gateway replica refuses it within Gateway:KeyCacheDuration.");
        return app;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateKey(
        HttpContext context, IApiKeyStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        CreateApiKeyRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<CreateApiKeyRequest>(JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Invalid("body", "Send a JSON object: {\"name\": \"...\", \"scopes\": [\"ingest\", \"read\"], \"rateLimit\": {\"capacity\": 100, \"refillPerSecond\": 20}}.");
        }

        if (Validate(request) is { } problem)
        {
            return problem;
        }

        var (id, secret, key) = ApiKeyFormat.Generate();
        var stored = new StoredApiKey(id, request!.Name!.Trim(), ApiKeyFormat.Hash(id, secret),
            [.. request.Scopes!.Distinct(StringComparer.Ordinal)], request.RateLimit, clock.GetUtcNow(), RevokedAt: null);
        await store.CreateAsync(stored, cancellationToken);
        return TypedResults.Created($"/api/admin/keys/{id}",
            new CreatedApiKey(stored.Id, stored.Name, stored.Scopes, stored.RateLimit, stored.CreatedAt, key));
    }

    private static async Task<Ok<ApiKeyView[]>> ListKeys(IApiKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(ApiKeyView.From).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id, IApiKeyStore store, ApiKeyAuthenticator authenticator, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.IsValidId(id) || !await store.RevokeAsync(id, clock.GetUtcNow(), cancellationToken))
        {
            return ApiProblem.NotFound(title: "Not Found", detail: $"No API key has the id '{id}'.");
        }

        authenticator.Forget(id);
        return TypedResults.NoContent();
    }

    private static ValidationProblem? Validate(CreateApiKeyRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            return Invalid("body", "Send a JSON object with name and scopes.");
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required, e.g. the pipeline that will use the key."];
        }

        if (request.Scopes is not { Count: > 0 } || request.Scopes.Any(s => !ApiKeyScopes.IsKnown(s)))
        {
            errors["scopes"] = [$"Give one or more of: {string.Join(", ", ApiKeyScopes.All)}."];
        }

        if (request.RateLimit is { IsValid: false })
        {
            errors["rateLimit"] = ["capacity must be 1 or more and refillPerSecond greater than 0."];
        }

        return errors.Count == 0 ? null : ApiProblem.Validation(errors);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        ApiProblem.Validation(field, message);
}
