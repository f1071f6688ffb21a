using System.Net;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>Two gateway replicas share what they must: the keys (Postgres) and each key's bucket (Redis).</summary>
[Collection(VigilAppCollection.Name)]
public sealed class ReplicaTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Two_gateway_replicas_draw_from_one_bucket_per_key()
    {
        await using var replica = await SecondGatewayReplica.StartAsync(fixture);
        var (_, key) = await fixture.CreateApiKeyAsync("two replicas", ["read"], new { capacity = 4, refillPerSecond = 0.1 });
        using var first = fixture.CreateGatewayClient(key);
        using var second = new HttpClient { BaseAddress = replica.Address };
        second.DefaultRequestHeaders.Add("X-Api-Key", key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await (i % 2 == 0 ? first : second).GetAsync("/api/runs?limit=1");
            statuses.Add(response.StatusCode);
        }

        // Four tokens in all, not four per replica: requests 5 and 6 are refused whichever replica they reach.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
