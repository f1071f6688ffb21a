using System.Net;
using System.Net.Sockets;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>
/// What a client sees when the gateway cannot get an answer: a real gateway process (a second replica on the fixture's
/// Postgres and Redis) whose alerting address points at a port nothing listens on, and whose runs route allows 1 ms.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class ForwardingFailureTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Unreachable_service_is_502_and_a_route_timeout_504_each_problem_json_naming_only_the_service()
    {
        var deadPort = UnusedPort();
        await using var replica = await SecondGatewayReplica.StartAsync(fixture, new Dictionary<string, string>
        {
            ["services__alerting__http__0"] = $"http://127.0.0.1:{deadPort}",
            ["ReverseProxy__Routes__runs__Timeout"] = "00:00:00.001",
        });
        var (_, key) = await fixture.CreateApiKeyAsync("forwarding failures", ["read"]);
        using var client = new HttpClient { BaseAddress = replica.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var unreachable = await client.GetAsync("/api/alerts/policies");
        using var timedOut = await client.GetAsync("/api/runs?limit=1");
        using var healthy = await client.GetAsync("/api/datasets");

        var badGateway = await unreachable.AssertProblemAsync(502);
        Assert.Contains("'alerting'", badGateway);
        Assert.DoesNotContain(deadPort.ToString(), badGateway);
        Assert.Contains("'lineage'", await timedOut.AssertProblemAsync(504));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode); // the other routes of the same replica are unaffected
    }

    private static int UnusedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
