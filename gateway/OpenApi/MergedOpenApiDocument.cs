using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Yarp.ReverseProxy;

namespace Vigil.Gateway.OpenApi;

/// <summary>
/// Fetches each cluster's <c>/openapi/v1.json</c> (its first destination as YARP resolved it), adds the
/// gateway's own endpoints (key management) and keeps the merged document for <see cref="CacheDuration"/>; a document
/// with a service missing is kept only briefly.
/// </summary>
public sealed partial class MergedOpenApiDocument(
    IServiceProvider services,
    IHttpClientFactory httpClients,
    IProxyStateLookup proxyState,
    TimeProvider clock,
    ILogger<MergedOpenApiDocument> logger)
{
    public const string HttpClientName = "openapi";
    public const string GatewayServiceName = "gateway";
    public const string ServiceDocumentPath = "/openapi/v1.json";
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan IncompleteCacheDuration = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim refresh = new(1, 1);
    private (string Json, DateTimeOffset Expires)? cached;

    public async Task<string> GetJsonAsync(CancellationToken cancellationToken)
    {
        if (cached is { } hit && hit.Expires > clock.GetUtcNow()) return hit.Json;

        await refresh.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } fresh && fresh.Expires > clock.GetUtcNow()) return fresh.Json;

            var clusters = proxyState.GetClusters()
                .Where(c => c.DestinationsState.AllDestinations.Count > 0)
                .Select(c => (Service: c.ClusterId, Address: c.DestinationsState.AllDestinations[0].Model.Config.Address))
                .ToList();
            var fetched = (await Task.WhenAll(clusters.Select(c => FetchAsync(c.Service, c.Address, cancellationToken)))).ToList();
            if (await OwnDocumentAsync(cancellationToken) is { } own) fetched.Add((GatewayServiceName, own));
            var documents = fetched.Where(f => f.Document is not null).Select(f => (f.Service, f.Document!)).ToList();
            var unavailable = fetched.Where(f => f.Document is null).Select(f => f.Service).Order(StringComparer.Ordinal).ToList();

            var json = OpenApiDocumentMerger.Merge(documents, unavailable).ToJsonString();
            cached = (json, clock.GetUtcNow() + (unavailable.Count == 0 ? CacheDuration : IncompleteCacheDuration));
            return json;
        }
        finally
        {
            refresh.Release();
        }
    }

    private async Task<(string Service, JsonObject? Document)> FetchAsync(string service, string address, CancellationToken cancellationToken)
    {
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.GetAsync(address.TrimEnd('/') + ServiceDocumentPath, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return (service, await JsonNode.ParseAsync(body, cancellationToken: cancellationToken) as JsonObject);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, e, service);
            return (service, null);
        }
    }

    /// <summary>The gateway's own document (null where no OpenAPI generator is registered).</summary>
    private async Task<JsonObject?> OwnDocumentAsync(CancellationToken cancellationToken)
    {
        var provider = services.GetKeyedService<IOpenApiDocumentProvider>(OpenApiExtensions.DocumentName);
        if (provider is null) return null;
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        return JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken)) as JsonObject;
    }

    [LoggerMessage(LogLevel.Warning, "The OpenAPI document of {Service} could not be read; /openapi.json leaves it out for now")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string service);
}
