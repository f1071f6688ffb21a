using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// In the namespace of AddServiceDefaults, so that a service maps its document with one line and no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>Each service describes its own API at <see cref="DocumentPath"/>; the gateway merges them into /openapi.json.</summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Registers the OpenAPI document generator (called by AddServiceDefaults).</summary>
    public static TBuilder AddVigilOpenApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(DocumentName);
        return builder;
    }

    /// <summary>
    /// Maps the service's OpenAPI document in every environment: the gateway reads it from inside the cluster, and the
    /// service itself is reachable only from there.
    /// </summary>
    public static IEndpointConventionBuilder MapOpenApiDocument(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapOpenApi(DocumentPath);
}
