using System.Security.Claims;

namespace Vigil.Dashboard.Access;

/// <summary>The signed-in person's API key, read from the encrypted sign-in cookie's claims (never from the page or URL).</summary>
public sealed class ApiKeyAccessor(IHttpContextAccessor context)
{
    public const string ClaimType = "vigil:api-key";

    public string? Current => context.HttpContext?.User.FindFirstValue(ClaimType);

    /// <summary>The identity kept in the cookie: the key, and a short label a person can recognise it by (never the key).</summary>
    public static ClaimsPrincipal PrincipalFor(string key) => new(new ClaimsIdentity(
        [new Claim(ClaimType, key), new Claim(ClaimTypes.Name, KeyLabel(key))], DashboardAuth.Scheme));

    /// <summary>"key …a1b2": the last four characters, enough to tell two keys apart on screen, useless to an attacker.</summary>
    public static string KeyLabel(string key) => key.Length <= 8 ? "key" : $"key …{key[^4..]}";
}
