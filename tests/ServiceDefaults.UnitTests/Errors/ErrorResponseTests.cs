using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Vigil.ServiceDefaults.UnitTests.Errors;

/// <summary>
/// Whatever environment a service runs in, a failure leaves it as problem+json without an exception type or stack:
/// an unreachable dependency as 503 with Retry-After, anything else as 500 with a trace id.
/// </summary>
public sealed class ErrorResponseTests
{
    public static TheoryData<string> Environments => ["Development", "Production"];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task An_unreachable_database_is_answered_503_with_Retry_After_and_no_exception_type(string environment)
    {
        await using var app = await StartAsync(environment);
        using var http = new HttpClient { BaseAddress = Address(app) };

        using var response = await http.GetAsync("/api/database");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        AssertNamesNoException(body);
        Assert.Equal("Dependency unavailable", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task A_bug_is_answered_500_problem_json_with_a_trace_id_and_no_exception_type(string environment)
    {
        await using var app = await StartAsync(environment);
        using var http = new HttpClient { BaseAddress = Address(app) };

        using var response = await http.GetAsync("/api/bug");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNamesNoException(body);
        var traceId = JsonDocument.Parse(body).RootElement.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrWhiteSpace(traceId));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task A_browser_asking_for_html_gets_problem_json_too(string environment)
    {
        await using var app = await StartAsync(environment);
        using var http = new HttpClient { BaseAddress = Address(app) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/bug");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertNamesNoException(body);
    }

    private static void AssertNamesNoException(string body)
    {
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/api/database", string () => throw new NpgsqlException("secret detail: connection refused"));
        app.MapGet("/api/bug", string () => throw new InvalidOperationException("secret detail of a bug"));
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
}
