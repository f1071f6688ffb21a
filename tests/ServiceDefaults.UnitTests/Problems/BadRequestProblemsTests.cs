using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.ServiceDefaults.UnitTests.Problems;

/// <summary>A real Kestrel app in Development (where an exception page would otherwise answer) with the shared bad-request handling.</summary>
public sealed class BadRequestProblemsTests : IAsyncLifetime
{
    public enum Policy { Warn, Block }

    public sealed record Registration
    {
        public required string Name { get; init; }
        public int Count { get; init; }
        public Policy Policy { get; init; }
        public IReadOnlyList<string> Columns { get; init; } = [];
    }

    /// <summary>A request object as the services write them: wire names in attributes, one property left to its C# name, one renamed.</summary>
    public sealed record PageQuery(
        [FromRoute(Name = "name")] string Name,
        [FromQuery(Name = "limit")] int Limit = 10,
        [FromQuery(Name = "from")] DateOnly? Start = null,
        int PageSize = 5,
        [FromHeader(Name = "X-Count")] int? Count = null);

    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddBadRequestProblems();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        _app = builder.Build();
        _app.UseStatusCodePages(); // as every service has (ProblemDetailsStartupFilter)
        _app.UseBadRequestProblems();
        _app.MapPost("/register", (Registration registration) => TypedResults.Ok(registration.Name));
        _app.MapGet("/items", (int limit) => TypedResults.Ok(limit));
        _app.MapGet("/lists/{name}/items", ([AsParameters] PageQuery query) => TypedResults.Ok(query.Limit));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem, string Text)> PostAsync(string body, string mediaType = "application/json")
    {
        using var response = await _client.PostAsync("/register", new StringContent(body, Encoding.UTF8, mediaType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("Exception", text);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, text);
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    [Fact]
    public async Task Malformed_json_is_400_with_line_and_column()
    {
        var (status, problem, _) = await PostAsync("{\n  \"name\": \"a\",\n  \"count\": 3,,\n}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.True(problem.GetProperty("column").GetInt32() > 1);
        Assert.Contains("not valid JSON", Error(problem, "body"));
        Assert.Contains("line 3", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Missing_required_field_is_named()
    {
        var (status, problem, _) = await PostAsync("""{ "count": 3 }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'name' is required.", Error(problem, "name"));
    }

    [Fact]
    public async Task Value_of_the_wrong_type_names_the_field_and_what_was_expected()
    {
        var (status, problem, _) = await PostAsync("""{ "name": "a", "count": "three" }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expected an integer", Error(problem, "count"));
        Assert.Equal(1, problem.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Unknown_enum_value_lists_the_allowed_ones()
    {
        var (_, problem, _) = await PostAsync("""{ "name": "a", "policy": "sometimes" }""");

        Assert.Contains("one of: warn, block", Error(problem, "policy"));
    }

    [Fact]
    public async Task Wrong_shape_inside_an_array_names_the_path()
    {
        var (_, problem, _) = await PostAsync("""{ "name": "a", "columns": ["id", 5] }""");

        Assert.Contains("expected a string", Error(problem, "columns[1]"));
    }

    [Fact]
    public async Task Missing_body_and_a_body_that_is_not_json_are_named_as_such()
    {
        var (status, problem, _) = await PostAsync("");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("A JSON body is required.", Error(problem, "body"));

        var (unsupported, _, _) = await PostAsync("name=a", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported);
    }

    [Fact]
    public async Task Query_parameter_that_does_not_parse_is_named()
    {
        using var response = await _client.GetAsync("/items?limit=lots");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'limit' cannot be 'lots': expected an integer.", Error(problem, "limit"));

        using var missing = await _client.GetAsync("/items");
        Assert.Contains("'limit' is required", Error(await missing.Content.ReadFromJsonAsync<JsonElement>(), "limit"));
    }

    [Theory]
    [InlineData("limit=lots", null, "limit", "'limit' cannot be 'lots': expected an integer.")]
    [InlineData("from=20-11-2026", null, "from", "'from' cannot be '20-11-2026': expected a date such as 2026-11-20.")]
    [InlineData("pageSize=many", null, "pageSize", "'pageSize' cannot be 'many': expected an integer.")]
    [InlineData("", "several", "X-Count", "'X-Count' cannot be 'several': expected an integer.")]
    public async Task A_request_object_property_is_named_as_the_client_wrote_it(string query, string? countHeader, string field, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/lists/a/items?{query}");
        if (countHeader is not null) request.Headers.Add("X-Count", countHeader);
        using var response = await _client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(expected, Error(problem, field));
    }

    [Theory]
    [InlineData("Nullable<DateOnly>", "a date such as 2026-11-20")]
    [InlineData("System.Nullable`1[System.DateOnly]", "a date such as 2026-11-20")]
    [InlineData("DateOnly?", "a date such as 2026-11-20")]
    [InlineData("System.Collections.Generic.IReadOnlyList`1[System.String]", "an array")]
    [InlineData("List<string>", "an array")]
    [InlineData("Dictionary<string, int>", "an object")]
    [InlineData("System.Int32", "an integer")]
    [InlineData("System.Guid", "a UUID such as 3f2c8d1e-0b4a-4c55-9a7e-2d1f0c9b8a76")]
    public void Framework_type_names_become_words(string typeName, string expected) =>
        Assert.Equal(expected, BadRequestProblem.Expected(typeName));

    public sealed record Train(Guid? RunId = null, DateOnly? Day = null);

    [Theory]
    [InlineData("""{ "runId": "yesterday's" }""", "runId", "a UUID")]
    [InlineData("""{ "day": "20-11-2026" }""", "day", "a date")]
    public void Nullable_values_of_the_wrong_format_name_the_expected_format(string json, string field, string expected)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Train>(json, JsonSerializerOptions.Web));

        var (name, message, _, _) = BadRequestProblem.DescribeJson(e);

        Assert.Equal(field, name);
        Assert.True(message.Contains(expected), message + " / " + e.Message);
        Assert.DoesNotContain("System.", message);
    }
}
