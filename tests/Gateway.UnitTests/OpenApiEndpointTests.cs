using System.Net;
using System.Text.Json.Nodes;
using Vigil.Gateway.UnitTests.Support;

namespace Vigil.Gateway.UnitTests;

/// <summary>/openapi.json and /docs, with backends serving their own documents.</summary>
public sealed class OpenApiEndpointTests
{
    [Fact]
    public async Task Merged_document_is_served_without_a_key_and_leaves_out_an_unreachable_service()
    {
        await using var ingest = await TestServers.StartBackendAsync(app => app.MapGet("/openapi/v1.json", () => Results.Text(
            """{"openapi":"3.1.1","paths":{"/api/datasets/{name}/batches":{"post":{"summary":"Submit"}}},"components":{"schemas":{"Run":{}}}}""",
            "application/json")));
        var config = new ProxyConfig()
            .Route("batches", "ingest", "/api/datasets/{name}/batches")
            .Cluster("ingest", "http://ingest")
            .Service("ingest", ingest.Address)
            .Cluster("scoring", $"http://127.0.0.1:{TestServers.UnusedPort()}");
        await using var gateway = await TestServers.StartGatewayAsync(config.Values);
        using var anonymous = TestHttp.CreateClient(gateway.Address, apiKey: null);

        using var response = await anonymous.GetAsync("/openapi.json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(document["paths"]!["/api/datasets/{name}/batches"]!["post"]);
        Assert.NotNull(document["components"]!["schemas"]!["ingest.Run"]);
        Assert.Contains("scoring", document["info"]!["description"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/admin/keys"]!["post"]); // the gateway's own endpoints
        Assert.Null(document["paths"]!["/api/{**path}"]);
    }

    [Fact]
    public async Task Docs_page_is_open_self_contained_html_that_reads_the_merged_document()
    {
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("runs", "lineage", "/api/runs/{**rest}")
            .Cluster("lineage", "http://lineage").Values);
        using var anonymous = TestHttp.CreateClient(gateway.Address, apiKey: null);

        using var response = await anonymous.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("fetch(\"/openapi.json\")", html);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
    }
}
