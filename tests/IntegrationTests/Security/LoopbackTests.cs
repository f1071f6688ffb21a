using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Security;

/// <summary>
/// Loopback hygiene of a started Vigil: nothing it runs listens beyond 127.0.0.1 / ::1, every file under its data
/// folder that holds a secret is readable by its owner only, and no secret is on a command line.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class LoopbackTests(VigilAppFixture fixture)
{
    /// <summary>Processes that must be among the listeners found, or the process-tree mapping has missed them.</summary>
    private static readonly string[] ExpectedListeners = ["postgres", "redis-server", "beam.smp", "epmd"];

    [Fact]
    public void Every_listening_socket_of_a_started_Vigil_is_on_loopback()
    {
        var tree = ProcessTree.Of(Environment.ProcessId, ProcessTree.All());
        var listeners = ProcNet.Listeners().ToLookup(s => s.Inode);
        var found = tree
            .SelectMany(process => ProcNet.SocketInodes(process.Pid).SelectMany(inode => listeners[inode]).Select(socket => (process, socket)))
            .ToList();

        Assert.All(ExpectedListeners, name => Assert.Contains(found, f => f.process.Name == name));
        // RabbitMQ's node listens twice: AMQP and the Erlang distribution port (the one that once bound 0.0.0.0).
        Assert.True(found.Count(f => f.process.Name == "beam.smp") >= 2, "RabbitMQ's AMQP and distribution listeners were not both found.");
        var gatewayPort = fixture.GetEndpoint("gateway").Port;
        Assert.Contains(found, f => f.socket.Port == gatewayPort);
        // The object store is a dotnet process like the services: found by its port.
        var objectStorePort = fixture.GetEndpoint("objectstore").Port;
        Assert.Contains(found, f => f.socket.Port == objectStorePort);
        var exposed = found.Where(f => !f.socket.IsLoopback).Select(f => $"{f.process.Name} (pid {f.process.Pid}) on {f.socket}").ToList();
        Assert.True(exposed.Count == 0, $"Listening beyond loopback: {string.Join("; ", exposed)}");
    }

    [Fact]
    public void Every_secret_under_the_data_folder_is_readable_by_its_owner_only()
    {
        var data = DataDirectory();
        var secrets = SecretValues(data);
        // Folders of server-managed data: Postgres keeps its cluster in a 0700 folder (checked below); objects and the
        // broker's database hold no secrets of ours and may be large.
        string[] skipped = [Path.Combine(data, "postgres", "data"), Path.Combine(data, "objectstore", "data"), Path.Combine(data, "rabbitmq", "mnesia")];
        var holding = Directory.EnumerateFiles(data, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(file => !skipped.Any(folder => file.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Where(file => (File.GetAttributes(file) & FileAttributes.ReparsePoint) == 0 && new FileInfo(file).Length < 1_000_000)
            .Where(file => Path.GetFileName(file) == ".erlang.cookie" || Holds(file, secrets))
            .Select(file => Path.GetRelativePath(data, file))
            .ToList();

        // Each secret's own file and the server configs that repeat it are found, so the scan is not vacuous.
        Assert.Superset(
            new HashSet<string> { "postgres/password", "redis/password", "redis/redis.conf", "rabbitmq/password", "rabbitmq/rabbitmq.conf", "objectstore/secret-key", "gateway/admin-key" },
            holding.ToHashSet());
        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var wide = holding.Where(file => (File.GetUnixFileMode(Path.Combine(data, file)) & groupOrOther) != 0)
            .Select(file => $"{file} ({Convert.ToString((int)File.GetUnixFileMode(Path.Combine(data, file)), 8)})").ToList();
        Assert.True(wide.Count == 0, $"Secret-bearing files readable beyond their owner: {string.Join(", ", wide)}");
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(data, "postgres", "data")) & groupOrOther);
    }

    [Fact]
    public void No_secret_is_on_a_command_line_of_the_started_system()
    {
        var secrets = SecretValues(DataDirectory());
        var tree = ProcessTree.Of(Environment.ProcessId, ProcessTree.All());

        Assert.Contains(tree, p => p.Name == "redis-server");
        var leaking = tree.Where(p => secrets.Any(p.CommandLine.Contains)).Select(p => $"{p.Name} (pid {p.Pid})").ToList();
        Assert.True(leaking.Count == 0, $"A password or key is on the command line of: {string.Join(", ", leaking)}");
    }

    /// <summary>Whether a file's text holds one of the secrets; sockets and other files that cannot be read as text hold none.</summary>
    private static bool Holds(string file, string[] secrets)
    {
        try
        {
            var text = File.ReadAllText(file);
            return secrets.Any(text.Contains);
        }
        catch (IOException)
        {
            return false;   // e.g. Postgres's unix socket in postgres/run
        }
    }

    /// <summary>The data folder of this run: the parent of a server's own folder (its working directory).</summary>
    private string DataDirectory()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var redis = model.Resources.OfType<ExecutableResource>().Single(r => r.Name == "redis");
        return Path.GetDirectoryName(redis.WorkingDirectory)!;
    }

    /// <summary>The generated passwords and keys of this run, as the AppHost keeps them.</summary>
    private static string[] SecretValues(string data) =>
        [.. new[] { "postgres/password", "redis/password", "rabbitmq/password", "objectstore/secret-key", "gateway/admin-key" }
            .Select(file => File.ReadAllText(Path.Combine(data, file)).Trim())];
}
