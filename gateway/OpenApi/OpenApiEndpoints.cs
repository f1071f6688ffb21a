namespace Vigil.Gateway.OpenApi;

/// <summary>
/// <c>/openapi.json</c> (the merged document) and <c>/docs</c> (a page rendering it). Both are open, like /health:
/// they describe the API, they give no access to it; every operation they list still needs a key.
/// </summary>
public static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi.json";
    public const string DocsPath = "/docs";

    public static IEndpointRouteBuilder MapMergedOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(DocumentPath, async (MergedOpenApiDocument document, CancellationToken cancellationToken) =>
                TypedResults.Text(await document.GetJsonAsync(cancellationToken), "application/json"))
            .ExcludeFromDescription();
        app.MapGet(DocsPath, () => TypedResults.Stream(DocsPage.Open(), "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        return app;
    }
}

/// <summary>The self-contained docs page (no CDN: it must work where nothing outside can be reached).</summary>
internal static class DocsPage
{
    private const string ResourceName = "Vigil.Gateway.OpenApi.docs.html";

    public static Stream Open() =>
        typeof(DocsPage).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
}
