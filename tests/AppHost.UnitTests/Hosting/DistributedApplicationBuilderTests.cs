using Vigil.AppHost.Hosting;
using Vigil.AppHost.Hosting.Resources;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting;

public sealed class DistributedApplicationBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resources_are_kept_in_declaration_order_with_their_kinds()
    {
        var builder = Builders.Create(_temp);
        builder.AddPostgres("postgres");
        builder.AddRedis("redis");
        builder.AddRabbitMQ("rabbitmq");
        builder.AddObjectStore("objectstore");
        builder.AddProject("ingest", "services/Ingest");

        Assert.Collection(builder.Resources,
            r => Assert.IsType<PostgresResource>(r),
            r => Assert.IsType<RedisResource>(r),
            r => Assert.IsType<RabbitMQResource>(r),
            r => Assert.IsType<ObjectStoreResource>(r),
            r => Assert.Equal("services/Ingest", Assert.IsType<ProjectResource>(r).ProjectDirectory));
        Assert.Equal(["postgres", "redis", "rabbitmq", "objectstore", "ingest"], builder.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Duplicate_name_is_rejected_even_for_another_kind_of_resource()
    {
        var builder = Builders.Create(_temp);
        builder.AddPostgres("store");

        var error = Assert.Throws<ArgumentException>(() => builder.AddRedis("store"));

        Assert.Contains("A resource named 'store' already exists", error.Message);
        Assert.IsType<PostgresResource>(Assert.Single(builder.Resources));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("object_store")]
    [InlineData("my db")]
    [InlineData("")]
    public void Name_that_is_not_lower_case_kebab_is_rejected(string name)
    {
        var builder = Builders.Create(_temp);

        var error = Assert.Throws<ArgumentException>(() => builder.AddProject(name, "services/Ingest"));

        Assert.Contains($"'{name}' must be lower-case kebab case", error.Message);
        Assert.Empty(builder.Resources);
    }

    [Fact]
    public void WithReference_and_WaitFor_record_the_dependency_on_the_resource()
    {
        var builder = Builders.Create(_temp);
        var postgres = builder.AddPostgres("postgres");
        var redis = builder.AddRedis("redis");

        var ingest = builder.AddProject("ingest", "services/Ingest").WithReference(postgres).WithReference(redis).WaitFor(postgres);

        Assert.Equal([postgres.Resource, redis.Resource], ingest.Resource.References);
        Assert.Equal([postgres.Resource], ingest.Resource.WaitsFor);
        Assert.Empty(postgres.Resource.References);
    }

    [Fact]
    public void WithExternalHttpEndpoints_marks_the_public_entry_and_its_port()
    {
        var builder = Builders.Create(_temp);
        var gateway = builder.AddProject("gateway", "gateway").WithExternalHttpEndpoints(port: 5080);
        var ingest = builder.AddProject("ingest", "services/Ingest");

        Assert.True(gateway.Resource.IsExternal);
        Assert.Equal(5080, gateway.Resource.FixedPort);
        Assert.False(ingest.Resource.IsExternal);
        Assert.Null(ingest.Resource.FixedPort);
    }

    [Fact]
    public void Build_rejects_a_cycle_before_creating_the_data_directory()
    {
        var builder = Builders.Create(_temp);
        var a = builder.AddProject("a", "a");
        var b = builder.AddProject("b", "b").WaitFor(a);
        a.WithReference(b);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("a -> b -> a", error.Message);
        Assert.False(Directory.Exists(builder.Options.DataDirectory));
    }

    [Fact]
    public async Task Build_with_free_ports_only_drops_the_fixed_port_without_starting_anything()
    {
        var builder = DistributedApplication.CreateBuilder(["--data-dir", _temp.Combine("data"), "--free-ports"]);
        var gateway = builder.AddProject("gateway", "gateway").WithExternalHttpEndpoints(port: 5080);

        await using var app = builder.Build();

        Assert.Null(gateway.Resource.FixedPort);
        Assert.True(gateway.Resource.IsExternal);
        Assert.Equal(ResourceState.NotStarted, gateway.Resource.State);
        Assert.Null(gateway.Resource.Url);
    }
}
