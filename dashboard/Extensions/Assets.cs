namespace Vigil.Dashboard.Extensions;

/// <summary>The dashboard's own stylesheet and script, served from the assembly at /static/{file} (no CDN, no npm build).</summary>
public static class Assets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["site.css"] = "text/css; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{file}", (string file, HttpContext context) =>
        {
            if (!ContentTypes.TryGetValue(file, out var contentType)) return Results.NotFound();
            var stream = typeof(Assets).Assembly.GetManifestResourceStream($"assets/{file}");
            if (stream is null) return Results.NotFound();
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Stream(stream, contentType);
        }).ExcludeFromDescription();
        return app;
    }
}
