using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Health;

[Collection(VigilAppCollection.Name)]
public sealed class HealthEndpointTests(VigilAppFixture fixture)
{
    [Theory]
    [InlineData("ingest", new[] { "postgres", "redis", "objectstore", "masstransit-bus" })]
    [InlineData("validation", new[] { "objectstore", "masstransit-bus" })]
    [InlineData("lineage", new[] { "postgres", "masstransit-bus" })]
    public async Task Health_reports_each_dependency_of_the_service(string service, string[] dependencies)
    {
        using var http = new HttpClient { BaseAddress = fixture.GetEndpoint(service) };

        var health = await http.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var checks = health.GetProperty("checks");
        Assert.All(dependencies, d => Assert.Equal("Healthy", checks.GetProperty(d).GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Alive_answers_without_checking_dependencies()
    {
        using var http = new HttpClient { BaseAddress = fixture.GetEndpoint("ingest") };

        using var response = await http.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_probes_are_left_out_of_traces()
    {
        using var http = new HttpClient { BaseAddress = fixture.GetEndpoint("lineage") };
        for (var i = 0; i < 3; i++) (await http.GetAsync("/health")).Dispose();
        // A real request afterwards, so there is something to wait for in the exporter's next batch.
        (await http.GetAsync($"/api/runs/{Guid.NewGuid()}")).Dispose();

        var spans = await fixture.Telemetry.WaitForSpansAsync(
            all => all.Any(s => s.ServiceName == "lineage" && s.Name.StartsWith("GET /api/runs", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

        Assert.DoesNotContain(spans, s => s.Attributes.TryGetValue("url.path", out var path) && path is "/health" or "/alive");
    }
}
