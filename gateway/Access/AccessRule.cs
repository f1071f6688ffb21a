namespace Vigil.Gateway.Access;

/// <summary>
/// Endpoint metadata: the scope a request needs, by method. Reads (GET, HEAD, OPTIONS) need <see cref="ReadScope"/>,
/// everything else <see cref="WriteScope"/>. <see cref="AcceptsAdminKey"/> marks the key-management endpoints.
/// An /api endpoint without a rule (the unmatched-path 404) still needs a valid key, but no particular scope.
/// </summary>
public sealed record AccessRule(string ReadScope, string WriteScope, bool AcceptsAdminKey = false)
{
    /// <summary>Writes to a route with no AuthorizationPolicy need the strongest scope.</summary>
    public const string DefaultWriteScope = ApiKeyScopes.Admin;

    public static AccessRule ForRoute(string? authorizationPolicy) =>
        new(ApiKeyScopes.Read, authorizationPolicy ?? DefaultWriteScope);

    public static readonly AccessRule KeyManagement = new(ApiKeyScopes.Admin, ApiKeyScopes.Admin, AcceptsAdminKey: true);

    public string RequiredScope(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? ReadScope : WriteScope;
}
