using Microsoft.Extensions.Configuration;

namespace Vigil.ServiceDefaults.UnitTests;

public sealed class ConnectionStringsTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    [Fact]
    public void Require_returns_the_named_connection_string()
    {
        var configuration = Configuration(("ConnectionStrings:postgres", "Host=db"), ("ConnectionStrings:redis", "cache:6379"));

        Assert.Equal("Host=db", ConnectionStrings.Require(configuration, "postgres"));
        Assert.Equal("cache:6379", ConnectionStrings.Require(configuration, "redis"));
    }

    [Fact]
    public void Require_of_a_missing_connection_string_names_the_environment_variable_to_set()
    {
        var configuration = Configuration(("ConnectionStrings:postgres", "Host=db"));

        var error = Assert.Throws<InvalidOperationException>(() => ConnectionStrings.Require(configuration, "rabbitmq"));

        Assert.Contains("'rabbitmq' is missing", error.Message);
        Assert.Contains("ConnectionStrings__rabbitmq", error.Message);
    }

    [Fact]
    public void Require_treats_an_empty_connection_string_as_missing()
    {
        var configuration = Configuration(("ConnectionStrings:objectstore", ""));

        var error = Assert.Throws<InvalidOperationException>(() => ConnectionStrings.Require(configuration, "objectstore"));

        Assert.Contains("ConnectionStrings__objectstore", error.Message);
    }
}
