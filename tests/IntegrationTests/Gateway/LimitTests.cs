using System.Net;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>Rate limits (token buckets in the real Redis) and body size limits.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class LimitTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Flood_from_one_key_gets_429_with_Retry_After_and_other_keys_are_unaffected()
    {
        var (_, flooder) = await fixture.CreateApiKeyAsync("flooder", ["read"], new { capacity = 5, refillPerSecond = 0.2 });
        var (_, neighbour) = await fixture.CreateApiKeyAsync("neighbour", ["read"]);
        using var flooding = fixture.CreateGatewayClient(flooder);
        using var other = fixture.CreateGatewayClient(neighbour);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await flooding.GetAsync("/api/runs");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else response.Dispose();
        }
        using var bystander = await other.GetAsync("/api/runs");

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK)); // the bucket's capacity, then refusals
            var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
            Assert.InRange(retryAfter, 1, 5); // one token takes 5 s at 0.2 per second
            Assert.Contains("rate limit", await refused.AssertProblemAsync(429));
        }
        Assert.Equal(HttpStatusCode.OK, bystander.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_default_limit_is_413_problem_json()
    {
        // As a well-behaved uploader does: announce the length and wait for 100 Continue, so the refusal arrives before
        // the body is sent (without it the gateway closes the connection while the client is still writing).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/policies") { Content = new ByteArrayContent(new byte[31 * 1024 * 1024]) };
        request.Headers.ExpectContinue = true;

        using var response = await fixture.Gateway.SendAsync(request);

        await response.AssertProblemAsync(413);
    }

    [Fact]
    public async Task Chunked_body_growing_over_the_default_limit_is_413_problem_json()
    {
        // One long JSON string, so the service keeps reading (it would answer 400 early to invalid JSON).
        var chunk = System.Text.Encoding.ASCII.GetBytes(new string('a', 1024 * 1024));
        using var content = new ChunkedContent(async stream =>
        {
            await stream.WriteAsync("{\"name\": \""u8.ToArray());
            for (var i = 0; i < 31; i++) await stream.WriteAsync(chunk);
            await stream.WriteAsync("\"}"u8.ToArray());
        });
        content.Headers.ContentType = new("application/json");

        using var response = await fixture.Gateway.PostAsync("/api/alerts/policies", content);

        await response.AssertProblemAsync(413);
    }

    private sealed class ChunkedContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
