using Vigil.AppHost.Hosting;
using Vigil.AppHost.Hosting.Resources;
using Vigil.AppHost.Hosting.Testing;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting.Testing;

public sealed class DistributedApplicationTestingBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CreateAsync_returns_the_resources_the_AppHost_declares_in_order()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();

        Assert.Equal(
            ["postgres", "redis", "rabbitmq", "objectstore", "validation", "ingest", "scoring", "alerting", "lineage", "gateway"],
            builder.Resources.Select(r => r.Name));
        Assert.Equal(4, builder.Resources.OfType<ServerResource>().Count());
        Assert.Equal(6, builder.Resources.OfType<ProjectResource>().Count());
    }

    [Fact]
    public async Task CreateAsync_sets_up_a_throw_away_run_on_free_ports()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        var options = builder.Options;

        Assert.True(options.FreePortsOnly);
        Assert.True(options.DeleteDataOnDispose);
        Assert.False(options.EchoLogsToConsole);
        Assert.Equal(Path.Combine(options.RepositoryRoot, ".vigil", "test-runs"), Path.GetDirectoryName(options.DataDirectory));
    }

    [Fact]
    public async Task CreateAsync_gives_every_run_its_own_data_directory()
    {
        var first = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        var second = await DistributedApplicationTestingBuilder.CreateAsync<Program>();

        Assert.NotEqual(first.Options.DataDirectory, second.Options.DataDirectory);
    }

    [Fact]
    public async Task CreateAsync_starts_nothing_and_creates_no_data_directory()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();

        Assert.All(builder.Resources, r => Assert.Equal(ResourceState.NotStarted, r.State));
        Assert.All(builder.Resources, r => Assert.Null(r.Url));
        Assert.False(Directory.Exists(builder.Options.DataDirectory));
    }

    [Fact]
    public async Task CreateAsync_keeps_the_gateway_as_the_only_public_entry()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();

        var external = Assert.Single(builder.Resources.OfType<ProjectResource>(), p => p.IsExternal);
        Assert.Equal("gateway", external.Name);
        Assert.Equal(5080, external.FixedPort);
    }

    [Fact]
    public async Task Gateway_needs_every_resource()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();

        var closure = ResourceGraph.Closure(builder.Resources, ["gateway"]);

        Assert.Equal(["postgres", "redis", "rabbitmq", "objectstore", "validation", "ingest", "scoring", "alerting", "lineage", "gateway"], closure.Select(r => r.Name));
        Assert.Null(Record.Exception(() => ResourceGraph.ThrowIfCyclic(builder.Resources)));
    }

    [Fact]
    public async Task Built_test_app_puts_the_gateway_on_a_free_port_and_deletes_its_data_on_dispose()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        builder.Options.DataDirectory = _temp.Combine("run");

        await using (var app = builder.Build())
        {
            Assert.Null(app.Resource<ProjectResource>("gateway").FixedPort);
            Assert.True(Directory.Exists(builder.Options.DataDirectory));
        }

        Assert.False(Directory.Exists(builder.Options.DataDirectory));
    }
}
