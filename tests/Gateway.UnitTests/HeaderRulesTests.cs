using Microsoft.Extensions.Primitives;
using Vigil.Gateway.Proxy;

namespace Vigil.Gateway.UnitTests;

public sealed class HeaderRulesTests
{
    private static readonly IReadOnlySet<string> NoTokens = new HashSet<string>();

    [Theory]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("Proxy-Connection")]
    [InlineData("Transfer-Encoding")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Authenticate")]
    [InlineData("proxy-authorization")]
    public void Hop_by_hop_headers_cross_in_neither_direction(string name)
    {
        Assert.False(HeaderRules.ForwardRequestHeader(name, NoTokens));
        Assert.False(HeaderRules.ForwardResponseHeader(name, NoTokens));
    }

    [Fact]
    public void Headers_named_in_the_connection_header_are_hop_by_hop()
    {
        var tokens = HeaderRules.ConnectionTokens(new StringValues(["keep-alive, X-Session-Hop", " x-other "]));

        Assert.False(HeaderRules.ForwardRequestHeader("X-Session-Hop", tokens));
        Assert.False(HeaderRules.ForwardResponseHeader("X-Other", tokens));
        Assert.True(HeaderRules.ForwardRequestHeader("X-Unlisted", tokens));
    }

    [Theory]
    [InlineData("traceparent")]
    [InlineData("tracestate")]
    [InlineData("baggage")]
    [InlineData("Request-Id")]
    public void Incoming_trace_context_is_not_copied_onto_the_forwarded_request(string name) =>
        Assert.False(HeaderRules.ForwardRequestHeader(name, NoTokens));

    [Theory]
    [InlineData("Host")]
    [InlineData("X-Forwarded-Proto")]
    [InlineData("X-Forwarded-Host")]
    [InlineData("X-Forwarded-For")]
    [InlineData(":authority")]
    public void Headers_the_proxy_sets_itself_are_not_copied(string name) =>
        Assert.False(HeaderRules.ForwardRequestHeader(name, NoTokens));

    [Theory]
    [InlineData("Authorization")]
    [InlineData("X-Api-Key")]
    public void The_clients_gateway_credentials_are_not_copied(string name) =>
        Assert.False(HeaderRules.ForwardRequestHeader(name, NoTokens));

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Idempotency-Key")]
    [InlineData("Accept")]
    public void End_to_end_request_headers_are_copied(string name) =>
        Assert.True(HeaderRules.ForwardRequestHeader(name, NoTokens));

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Content-Length")]
    [InlineData("Location")]
    [InlineData("Set-Cookie")]
    public void End_to_end_response_headers_are_copied(string name) =>
        Assert.True(HeaderRules.ForwardResponseHeader(name, NoTokens));

    [Theory]
    [InlineData(null, "10.0.0.5", "10.0.0.5")]
    [InlineData("203.0.113.7", "10.0.0.5", "203.0.113.7, 10.0.0.5")]
    [InlineData("203.0.113.7, 198.51.100.2", "10.0.0.5", "203.0.113.7, 198.51.100.2, 10.0.0.5")]
    [InlineData("203.0.113.7", null, "203.0.113.7")]
    [InlineData(null, null, "")]
    public void Forwarded_for_appends_the_client_address_to_the_existing_chain(string? existing, string? client, string expected) =>
        Assert.Equal(expected, HeaderRules.AppendForwardedFor(new StringValues(existing), client));

    [Fact]
    public void Forwarded_for_joins_repeated_incoming_headers()
    {
        var existing = new StringValues(["203.0.113.7", "198.51.100.2"]);

        Assert.Equal("203.0.113.7, 198.51.100.2, 10.0.0.5", HeaderRules.AppendForwardedFor(existing, "10.0.0.5"));
    }
}
