using Vigil.AppHost.Hosting;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting;

public sealed class ResourceGraphTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("postgres")]
    [InlineData("objectstore")]
    [InlineData("object-store")]
    [InlineData("s3")]
    [InlineData("run-2-b")]
    public void IsValidName_accepts_lower_case_kebab_names(string name) => Assert.True(ResourceGraph.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData("Postgres")]
    [InlineData("objectStore")]
    [InlineData("object_store")]
    [InlineData("object store")]
    [InlineData("object.store")]
    [InlineData("-postgres")]
    [InlineData("postgres-")]
    [InlineData("object--store")]
    [InlineData("2postgres")]
    public void IsValidName_rejects_names_that_are_not_lower_case_kebab(string name) => Assert.False(ResourceGraph.IsValidName(name));

    [Fact]
    public void IsValidName_rejects_a_trailing_newline() => Assert.False(ResourceGraph.IsValidName("postgres\n"));

    [Fact]
    public void DependenciesOf_lists_waits_and_references_once_each()
    {
        var builder = Builders.Create(_temp);
        var postgres = builder.AddPostgres("postgres");
        var redis = builder.AddRedis("redis");
        var ingest = builder.AddProject("ingest", "services/Ingest").WithReference(postgres).WithReference(redis).WaitFor(postgres);

        Assert.Equal([postgres.Resource, redis.Resource], ResourceGraph.DependenciesOf(ingest.Resource));
    }

    [Fact]
    public void Closure_includes_transitive_dependencies_only()
    {
        var builder = Builders.Create(_temp);
        var postgres = builder.AddPostgres("postgres");
        var redis = builder.AddRedis("redis");
        var rabbitmq = builder.AddRabbitMQ("rabbitmq");
        builder.AddObjectStore("objectstore");
        var ingest = builder.AddProject("ingest", "services/Ingest").WaitFor(postgres).WithReference(redis);
        builder.AddProject("lineage", "services/Lineage").WaitFor(rabbitmq);
        builder.AddProject("gateway", "gateway").WaitFor(ingest);

        var closure = ResourceGraph.Closure(builder.Resources, ["gateway"]);

        Assert.Equal(["postgres", "redis", "ingest", "gateway"], closure.Select(r => r.Name));
    }

    [Fact]
    public void Closure_keeps_declaration_order_and_lists_a_shared_dependency_once()
    {
        var builder = Builders.Create(_temp);
        var postgres = builder.AddPostgres("postgres");
        var rabbitmq = builder.AddRabbitMQ("rabbitmq");
        builder.AddProject("scoring", "services/Scoring").WithReference(postgres).WaitFor(postgres);
        builder.AddProject("lineage", "services/Lineage").WithReference(postgres).WaitFor(rabbitmq);

        var closure = ResourceGraph.Closure(builder.Resources, ["lineage", "scoring", "lineage"]);

        Assert.Equal(["postgres", "rabbitmq", "scoring", "lineage"], closure.Select(r => r.Name));
    }

    [Fact]
    public void Closure_of_a_resource_without_dependencies_is_that_resource()
    {
        var builder = Builders.Create(_temp);
        builder.AddPostgres("postgres");
        builder.AddRedis("redis");

        Assert.Equal(["redis"], ResourceGraph.Closure(builder.Resources, ["redis"]).Select(r => r.Name));
    }

    [Fact]
    public void Closure_of_an_unknown_name_throws_naming_it()
    {
        var builder = Builders.Create(_temp);
        builder.AddPostgres("postgres");

        var error = Assert.Throws<ArgumentException>(() => ResourceGraph.Closure(builder.Resources, ["postgress"]));

        Assert.Contains("'postgress'", error.Message);
    }

    [Fact]
    public void ThrowIfCyclic_names_the_resources_of_the_cycle_in_order()
    {
        var builder = Builders.Create(_temp);
        var a = builder.AddProject("a", "a");
        var b = builder.AddProject("b", "b");
        var c = builder.AddProject("c", "c");
        a.WaitFor(b);
        b.WithReference(c);
        c.WaitFor(a);

        var error = Assert.Throws<InvalidOperationException>(() => ResourceGraph.ThrowIfCyclic(builder.Resources));

        Assert.Contains("a -> b -> c -> a", error.Message);
    }

    [Fact]
    public void ThrowIfCyclic_leaves_out_resources_that_only_lead_into_the_cycle()
    {
        var builder = Builders.Create(_temp);
        var entry = builder.AddProject("entry", "entry");
        var a = builder.AddProject("a", "a");
        var b = builder.AddProject("b", "b");
        entry.WaitFor(a);
        a.WaitFor(b);
        b.WaitFor(a);

        var error = Assert.Throws<InvalidOperationException>(() => ResourceGraph.ThrowIfCyclic(builder.Resources));

        Assert.Contains(": a -> b -> a.", error.Message);
        Assert.DoesNotContain("entry", error.Message);
    }

    [Fact]
    public void ThrowIfCyclic_rejects_a_resource_that_waits_for_itself()
    {
        var builder = Builders.Create(_temp);
        var a = builder.AddProject("a", "a");
        a.WaitFor(a);

        var error = Assert.Throws<InvalidOperationException>(() => ResourceGraph.ThrowIfCyclic(builder.Resources));

        Assert.Contains("a -> a", error.Message);
    }

    [Fact]
    public void ThrowIfCyclic_accepts_a_diamond()
    {
        var builder = Builders.Create(_temp);
        var postgres = builder.AddPostgres("postgres");
        var ingest = builder.AddProject("ingest", "services/Ingest").WaitFor(postgres);
        var lineage = builder.AddProject("lineage", "services/Lineage").WithReference(postgres).WaitFor(postgres);
        builder.AddProject("gateway", "gateway").WaitFor(ingest).WaitFor(lineage).WithReference(ingest);

        Assert.Null(Record.Exception(() => ResourceGraph.ThrowIfCyclic(builder.Resources)));
    }
}
