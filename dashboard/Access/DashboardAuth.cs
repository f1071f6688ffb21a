using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Vigil.Dashboard.Access;

/// <summary>
/// Sign-in by API key: the key is kept only inside ASP.NET's authentication cookie, which Data Protection encrypts and
/// signs; the cookie is HttpOnly and SameSite=Strict. Unauthenticated page requests go to the sign-in page with a
/// relative redirect (the dashboard sits behind the gateway, whose host the dashboard does not know).
/// </summary>
public static class DashboardAuth
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "vigil-dashboard";
    public const string SignInPath = "/signin";

    public static IServiceCollection AddDashboardAuth(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ApiKeyAccessor>();
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = SignInPath;
            cookie.LogoutPath = "/signout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnRedirectToLogin = context =>
            {
                var back = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect($"{context.Request.PathBase}{SignInPath}?returnUrl={Uri.EscapeDataString(context.Request.PathBase + back)}");
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "vigil-dashboard-csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
        });
        return services;
    }

    public static Task SignInAsync(HttpContext context, string key) =>
        context.SignInAsync(Scheme, ApiKeyAccessor.PrincipalFor(key), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>A return address that stays inside the dashboard (no open redirect).</summary>
    public static string SafeReturnUrl(string? returnUrl, PathString pathBase) =>
        returnUrl is { Length: > 1 } url && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") &&
        url.StartsWith(pathBase.HasValue ? pathBase.Value! : "/", StringComparison.Ordinal)
            ? url
            : (pathBase.HasValue ? pathBase.Value! : "") + "/";
}
