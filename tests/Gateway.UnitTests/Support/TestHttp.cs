using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>What an echo backend saw of a forwarded request.</summary>
internal sealed record EchoedRequest(string Method, string Path, string Query, Dictionary<string, string> Headers, long BodyLength, string Service);

internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

internal static class TestHttp
{
    /// <summary>
    /// A client that sends exactly the headers a test sets (it injects no trace context of its own), plus
    /// <paramref name="apiKey"/> in X-Api-Key when given.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress, string? apiKey)
    {
        var client = CreateBareClient(baseAddress);
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>A client holding an API key with every scope (see <see cref="TestKeys"/>).</summary>
    public static HttpClient CreateClient(Uri baseAddress) => CreateClient(baseAddress, TestKeys.AllScopes);

    private static HttpClient CreateBareClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Maps a catch-all endpoint that answers with what it received, tagged with <paramref name="service"/>.</summary>
    public static void MapEcho(this WebApplication app, string service = "backend") =>
        app.Map("/{**path}", async context =>
        {
            // The backend takes any size: limits under test are the gateway's.
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
            var length = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                length += read;
            }

            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await context.Response.WriteAsJsonAsync(new EchoedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, length, service));
        });

    public static async Task<EchoedRequest> ReadEchoAsync(this HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>(JsonSerializerOptions.Web))!;
    }

    public static async Task<Problem> ReadProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<Problem>(JsonSerializerOptions.Web))!;
    }
}
