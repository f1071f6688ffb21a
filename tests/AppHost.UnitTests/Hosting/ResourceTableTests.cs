using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Vigil.AppHost.Hosting;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting;

public sealed partial class ResourceTableTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    private static string[] Lines(string table) => table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cells(string line) => ColumnGap().Split(line);

    [Fact]
    public void Render_writes_a_header_and_one_row_per_resource_with_kind_state_and_url()
    {
        var builder = Builders.Create(_temp);
        builder.AddPostgres("postgres");
        builder.AddObjectStore("objectstore");
        builder.AddProject("ingest", "services/Ingest");

        var lines = Lines(ResourceTable.Render(builder.Resources, elapsed: null));

        Assert.Equal(4, lines.Length);
        Assert.Equal(["RESOURCE", "KIND", "STATE", "URL"], Cells(lines[0]));
        Assert.Equal(["postgres", "postgres", "NotStarted", "-"], Cells(lines[1]));
        Assert.Equal(["objectstore", "s3 (moto)", "NotStarted", "-"], Cells(lines[2]));
        Assert.Equal(["ingest", "project", "NotStarted", "-"], Cells(lines[3]));
    }

    [Fact]
    public void Render_aligns_every_column_under_its_header()
    {
        var builder = Builders.Create(_temp);
        builder.AddRedis("redis");
        builder.AddProject("a-much-longer-name", "somewhere");

        var lines = Lines(ResourceTable.Render(builder.Resources, elapsed: null));

        var kindColumn = lines[0].IndexOf("KIND", StringComparison.Ordinal);
        var stateColumn = lines[0].IndexOf("STATE", StringComparison.Ordinal);
        Assert.Equal("a-much-longer-name".Length + 2, kindColumn);
        Assert.All(lines[1..], line => Assert.NotEqual(' ', line[kindColumn]));
        Assert.All(lines[1..], line => Assert.Equal(' ', line[kindColumn - 1]));
        Assert.All(lines[1..], line => Assert.Equal("NotStarted", line[stateColumn..].Split(' ')[0]));
    }

    [Fact]
    public void Render_after_start_opens_with_the_time_taken_and_closes_with_how_to_stop()
    {
        var builder = Builders.Create(_temp);
        builder.AddRedis("redis");

        var lines = Lines(ResourceTable.Render(builder.Resources, TimeSpan.FromMilliseconds(12_345)));

        Assert.Equal("All resources healthy in 12.3 s.", lines[0]);
        Assert.StartsWith("RESOURCE", lines[1]);
        Assert.Equal("Logs follow, prefixed by resource. Press Ctrl+C to stop everything.", lines[^1]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Render_without_elapsed_time_has_only_the_table()
    {
        var builder = Builders.Create(_temp);
        builder.AddRedis("redis");

        var table = ResourceTable.Render(builder.Resources, elapsed: null);

        Assert.DoesNotContain("healthy in", table);
        Assert.DoesNotContain("Ctrl+C", table);
    }

    [Fact]
    public async Task Render_marks_the_public_entry_next_to_its_url_and_shows_the_failed_state()
    {
        // A project whose build output resolves but whose fixed port is taken gets its address and then fails,
        // before any process is launched: the only way to give a resource a URL without running a server.
        var repository = Directory.CreateDirectory(_temp.Combine("repo")).FullName;
        FakeProjectOutput(repository, "fake", "Fake");
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var takenPort = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var builder = Builders.Create(_temp);
        builder.Options.RepositoryRoot = repository;
        builder.AddPostgres("postgres");
        builder.AddProject("gateway", "fake").WithExternalHttpEndpoints(takenPort);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<ResourceStartException>(() => app.StartAsync(["gateway"]));
        var lines = Lines(ResourceTable.Render(app.Resources, elapsed: null));

        Assert.Contains($"port {takenPort} is already in use", error.Message);
        Assert.Equal(["postgres", "postgres", "NotStarted", "-"], Cells(lines[1]));
        Assert.Equal(["gateway", "project", "Failed", $"http://127.0.0.1:{takenPort}", "(public entry)"], Cells(lines[2]));
    }

    /// <summary>What <c>ProjectResource</c> looks for: one .csproj and its dll under bin/{Configuration}/{TargetFramework}.</summary>
    private static void FakeProjectOutput(string repository, string directory, string name)
    {
        var metadata = typeof(DistributedApplication).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var project = Directory.CreateDirectory(Path.Combine(repository, directory)).FullName;
        File.WriteAllText(Path.Combine(project, name + ".csproj"), "<Project />");
        var output = Directory.CreateDirectory(Path.Combine(project, "bin", metadata["Configuration"]!, metadata["TargetFramework"]!)).FullName;
        File.WriteAllText(Path.Combine(output, name + ".dll"), "");
    }
}
