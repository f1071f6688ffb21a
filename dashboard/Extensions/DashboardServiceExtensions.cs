using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Dashboard.Access;
using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.Extensions;

public static class DashboardServiceExtensions
{
    /// <summary>Where service discovery puts the gateway's address when the AppHost references it.</summary>
    public const string DiscoveredGatewayKey = "services:gateway:http:0";

    /// <summary>Razor Pages behind cookie sign-in (every page but sign-in needs it), and the API client to the gateway.</summary>
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>()
            .Bind(builder.Configuration.GetSection(DashboardOptions.SectionName))
            .Validate(o => o.PathBase.StartsWith('/') && !o.PathBase.EndsWith('/'), "Dashboard:PathBase must start with '/' and not end with one, e.g. /ui.")
            .Validate(o => o.RefreshSeconds is >= 1 and <= 2, "Dashboard:RefreshSeconds must be 1 or 2.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("vigil-dashboard");
        if (builder.Configuration[$"{DashboardOptions.SectionName}:{nameof(DashboardOptions.KeysDirectory)}"] is { Length: > 0 } keys)
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        builder.Services.AddDashboardAuth();
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/SignIn");
        });

        var gateway = builder.Configuration[DiscoveredGatewayKey]
            ?? builder.Configuration[$"{DashboardOptions.SectionName}:GatewayUrl"] ?? new DashboardOptions().GatewayUrl;
        builder.Services.AddHttpClient<VigilApi>(http =>
        {
            http.BaseAddress = new Uri(gateway.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    /// <summary>
    /// Everything under the path base (/ui): static files, sign-in, pages, report downloads. Pages are never cached and
    /// may load only the dashboard's own scripts and styles.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        app.UsePathBase(options.PathBase);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.StartsWithSegments("/static"))
            {
                // What antiforgery sets on pages with forms anyway; every page holds a signed-in person's data.
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }
            await next(context);
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorPages();
        app.MapReportDownloads();
        app.MapAssets();
        return app;
    }
}
