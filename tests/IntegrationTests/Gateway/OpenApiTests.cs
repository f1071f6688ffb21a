using System.Net;
using System.Text.Json.Nodes;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>The merged OpenAPI document and its page, built from the running services' own documents.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class OpenApiTests(VigilAppFixture fixture)
{
    [Theory]
    [InlineData("ingest")]
    [InlineData("validation")]
    [InlineData("scoring")]
    [InlineData("alerting")]
    [InlineData("lineage")]
    public async Task Each_service_publishes_its_openapi_document(string service)
    {
        using var http = new HttpClient { BaseAddress = fixture.GetEndpoint(service) };

        using var response = await http.GetAsync("/openapi/v1.json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        Assert.NotEmpty(document["paths"]!.AsObject());
    }

    [Fact]
    public async Task Gateway_serves_every_services_paths_in_one_document_without_a_key()
    {
        using var anonymous = fixture.CreateGatewayClient(apiKey: null);

        using var response = await anonymous.GetAsync("/openapi.json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/datasets/{name}/batches", paths);   // ingest
        Assert.Contains("/api/datasets", paths);                  // validation
        Assert.Contains("/api/datasets/{name}/models", paths);    // scoring
        Assert.Contains("/api/alerts/policies", paths);           // alerting
        Assert.Contains("/api/runs/{id}", paths);                 // lineage
        Assert.Contains("/api/admin/keys", paths);                // the gateway itself
        Assert.DoesNotContain("unreachable", document["info"]!["description"]!.GetValue<string>());
        var schemas = document["components"]?["schemas"]?.AsObject().Select(s => s.Key).ToList() ?? [];
        Assert.All(schemas, name => Assert.Matches(@"^(ingest|validation|scoring|alerting|lineage|gateway)\.", name));
    }

    [Fact]
    public async Task Docs_page_is_served_without_a_key()
    {
        using var anonymous = fixture.CreateGatewayClient(apiKey: null);

        using var response = await anonymous.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/openapi.json", await response.Content.ReadAsStringAsync());
    }
}
