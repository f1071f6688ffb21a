using Vigil.Gateway.Proxy;

namespace Vigil.Gateway.UnitTests;

public sealed class ServiceAddressResolverTests
{
    [Fact]
    public void Logical_name_resolves_from_aspire_service_discovery_configuration()
    {
        var resolver = Resolver(("services:ingest:http:0", "http://127.0.0.1:5123/"));

        Assert.Equal("http://127.0.0.1:5123", resolver.Resolve("http://ingest"));
    }

    [Fact]
    public void Address_without_a_discovery_entry_is_used_literally()
    {
        var resolver = Resolver();

        Assert.Equal("http://ingest", resolver.Resolve("http://ingest"));
        Assert.Equal("http://10.1.2.3:8080", resolver.Resolve("http://10.1.2.3:8080/"));
    }

    [Fact]
    public void Path_of_the_configured_address_is_kept_after_resolution()
    {
        var resolver = Resolver(("services:ingest:http:0", "http://127.0.0.1:5123"));

        Assert.Equal("http://127.0.0.1:5123/v1", resolver.Resolve("http://ingest/v1/"));
    }

    [Fact]
    public void Https_plus_http_prefers_the_https_endpoint_and_falls_back_to_http()
    {
        var both = Resolver(("services:ingest:https:0", "https://127.0.0.1:7001"), ("services:ingest:http:0", "http://127.0.0.1:5001"));
        var httpOnly = Resolver(("services:ingest:http:0", "http://127.0.0.1:5001"));

        Assert.Equal("https://127.0.0.1:7001", both.Resolve("https+http://ingest"));
        Assert.Equal("http://127.0.0.1:5001", httpOnly.Resolve("https+http://ingest"));
    }

    [Fact]
    public void Resolution_reads_configuration_at_call_time()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var resolver = new ServiceAddressResolver(configuration);
        Assert.Equal("http://ingest", resolver.Resolve("http://ingest"));

        configuration["services:ingest:http:0"] = "http://127.0.0.1:6000";

        Assert.Equal("http://127.0.0.1:6000", resolver.Resolve("http://ingest"));
    }

    [Theory]
    [InlineData("http://ingest", true)]
    [InlineData("https://ingest:8443/base", true)]
    [InlineData("https+http://ingest", true)]
    [InlineData("ingest", false)]
    [InlineData("ftp://ingest", false)]
    [InlineData("http://", false)]
    [InlineData("http://ingest?x=1", false)]
    [InlineData("", false)]
    public void Only_absolute_http_addresses_are_valid(string address, bool valid) =>
        Assert.Equal(valid, ServiceAddressResolver.IsValidAddress(address));

    private static ServiceAddressResolver Resolver(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());
}
