using System.Data.Common;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using Vigil.AppHost.Resources;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.AppHost.UnitTests;

/// <summary>What WithReference hands a service (ConnectionStrings__name) is what ServiceDefaults and the clients parse.</summary>
public sealed class ConnectionStringTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly IDistributedApplicationBuilder _builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DisableDashboard = true });
    private VigilLayout Layout => new(_data.Path, _data.Path, "Debug", "net10.0");

    [Fact]
    public async Task Postgres_connection_string_names_the_loopback_port_the_vigil_database_and_the_generated_password()
    {
        var postgres = _builder.AddPostgresServer("postgres", Layout).Resource;

        var parsed = new NpgsqlConnectionStringBuilder(await ValueAsync(postgres));

        Assert.Equal("127.0.0.1", parsed.Host);
        Assert.Equal(postgres.Port, parsed.Port);
        Assert.Equal("vigil", parsed.Database);
        Assert.Equal("postgres", parsed.Username);
        Assert.Equal(ReadSecret("postgres", "password"), parsed.Password);
    }

    [Fact]
    public async Task RabbitMQ_connection_string_is_an_amqp_uri_with_the_broker_user_and_its_password()
    {
        var rabbitmq = _builder.AddRabbitMQServer("rabbitmq", Layout).Resource;

        var uri = new Uri(await ValueAsync(rabbitmq));

        Assert.Equal("amqp", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(rabbitmq.Port, uri.Port);
        Assert.Equal($"vigil:{ReadSecret("rabbitmq", "password")}", uri.UserInfo);
    }

    [Fact]
    public async Task Redis_connection_string_is_a_StackExchange_configuration_with_the_password()
    {
        var redis = _builder.AddRedisServer("redis", Layout).Resource;

        var options = StackExchange.Redis.ConfigurationOptions.Parse(await ValueAsync(redis));

        Assert.Equal($"127.0.0.1:{redis.Port}", Assert.Single(options.EndPoints).ToString());
        Assert.Equal(ReadSecret("redis", "password"), options.Password);
    }

    [Fact]
    public async Task Object_store_connection_string_parses_as_ServiceDefaults_reads_it()
    {
        var store = _builder.AddObjectStore("objectstore", Layout).Resource;

        var options = ObjectStoreOptions.Parse(await ValueAsync(store), bucket: null);

        Assert.Equal(new Uri($"http://127.0.0.1:{store.Port}"), options.Endpoint);
        Assert.Equal(ReadSecret("objectstore", "secret-key"), options.SecretKey);
        Assert.Equal("us-east-1", options.Region);
    }

    [Fact]
    public void Servers_get_distinct_free_ports()
    {
        int[] ports =
        [
            _builder.AddPostgresServer("postgres", Layout).Resource.Port,
            _builder.AddRedisServer("redis", Layout).Resource.Port,
            _builder.AddRabbitMQServer("rabbitmq", Layout).Resource.Port,
            _builder.AddObjectStore("objectstore", Layout).Resource.Port,
        ];

        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, 65535));
    }

    private string ReadSecret(string resource, string file) => File.ReadAllText(Path.Combine(_data.Path, resource, file)).Trim();

    private static async Task<string> ValueAsync(IResourceWithConnectionString resource) =>
        await resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("no value");

    public void Dispose() => _data.Dispose();
}
