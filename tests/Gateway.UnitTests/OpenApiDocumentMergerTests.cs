using System.Text.Json.Nodes;
using Vigil.Gateway.OpenApi;

namespace Vigil.Gateway.UnitTests;

public sealed class OpenApiDocumentMergerTests
{
    private static JsonObject Doc(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly JsonObject Ingest = Doc("""
        {
          "openapi": "3.1.1",
          "paths": {
            "/api/datasets/{name}/batches": { "post": { "tags": ["Batches"], "responses": { "202": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Run" } } } } } } },
            "/api/shared": { "get": { "summary": "from ingest" } }
          },
          "components": { "schemas": { "Run": { "type": "object" }, "Problem": { "type": "object", "properties": { "title": { "type": "string" } } } } },
          "tags": [ { "name": "Batches" } ]
        }
        """);

    private static readonly JsonObject Lineage = Doc("""
        {
          "openapi": "3.1.1",
          "paths": {
            "/api/runs/{id}": { "get": { "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Run" } } } } } } },
            "/api/shared": { "get": { "summary": "from lineage" }, "delete": { "summary": "only lineage deletes" } }
          },
          "components": { "schemas": { "Run": { "type": "object", "properties": { "stages": { "type": "array" } } } } }
        }
        """);

    [Fact]
    public void Components_of_each_service_are_prefixed_and_references_follow()
    {
        var merged = OpenApiDocumentMerger.Merge([("ingest", Ingest), ("lineage", Lineage)], []);

        var schemas = merged["components"]!["schemas"]!.AsObject();
        Assert.Equal(["ingest.Problem", "ingest.Run", "lineage.Run"], schemas.Select(s => s.Key).Order());
        Assert.Equal("#/components/schemas/ingest.Run",
            merged["paths"]!["/api/datasets/{name}/batches"]!["post"]!["responses"]!["202"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/lineage.Run",
            merged["paths"]!["/api/runs/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Paths_are_kept_as_they_are_and_a_shared_path_merges_its_methods_first_service_first()
    {
        var merged = OpenApiDocumentMerger.Merge([("lineage", Lineage), ("ingest", Ingest)], []);

        var shared = merged["paths"]!["/api/shared"]!.AsObject();
        Assert.Equal("from ingest", shared["get"]!["summary"]!.GetValue<string>()); // services in name order: ingest first
        Assert.Equal("only lineage deletes", shared["delete"]!["summary"]!.GetValue<string>());
        Assert.Equal(3, merged["paths"]!.AsObject().Count);
    }

    [Fact]
    public void Merged_document_declares_the_api_key_and_names_unreachable_services()
    {
        var merged = OpenApiDocumentMerger.Merge([("ingest", Ingest)], ["scoring"]);

        Assert.Equal("X-Api-Key", merged["components"]!["securitySchemes"]![OpenApiDocumentMerger.ApiKeySchemeName]!["name"]!.GetValue<string>());
        Assert.Contains("scoring", merged["info"]!["description"]!.GetValue<string>());
        Assert.Equal("3.1.1", merged["openapi"]!.GetValue<string>());
        Assert.Equal("Batches", merged["tags"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        var before = Ingest.ToJsonString();

        OpenApiDocumentMerger.Merge([("ingest", Ingest)], []);

        Assert.Equal(before, Ingest.ToJsonString());
    }
}
