using Npgsql;
using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>
/// PostgreSQL 15 with its cluster under <c>.vigil/{name}/data</c>, run as the postgres user when we are root,
/// listening on 127.0.0.1 only, with a generated password and one database, <c>vigil</c>, in which each service owns a schema.
/// </summary>
public sealed class PostgresResource(string name) : ServerResource(name), IResourceWithConnectionString
{
    public const string DatabaseName = "vigil";
    private const string User = "postgres";
    private string _password = "";

    public override string Kind => "postgres";

    public override string? Url => Port == 0 ? null : $"postgres://127.0.0.1:{Port}/{DatabaseName}";

    public string ConnectionString => ConnectionStringFor(DatabaseName);

    private protected override int StopSignal => PosixSignals.SIGINT; // "fast" shutdown; SIGTERM would wait for clients

    private string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={_password};Database={database}";

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        string[] packageDirs = ["/usr/lib/postgresql/*/bin"];
        var postgres = await ServerInstaller.RequireAsync(Name, "postgres", Installation.Apt("postgresql"), context, cancellationToken, packageDirs);
        var initdb = ServerInstaller.Find("initdb", [Path.GetDirectoryName(postgres)!, .. packageDirs])
            ?? throw new ResourceStartException(Name, "initdb was not found next to postgres.");

        var root = context.DirectoryFor(Name);
        var data = Path.Combine(root, "data");
        var sockets = Path.Combine(root, "run");
        Directory.CreateDirectory(sockets);
        _password = GeneratedSecret.GetOrCreate(root, "password");

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
            await InitializeClusterAsync(initdb, root, data, context, cancellationToken);
        await ChownAsync(User, Name, context, cancellationToken, data, sockets);
        await StopLeftoverServerAsync(data, context);

        Port = PortAllocator.FreeLoopbackPort();
        Launch(new ProcessSpec(postgres,
        [
            "-D", data, "-p", Port.ToString(),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={sockets}",
            "-c", "synchronous_commit=off",
        ]).AsUser(User), context);
    }

    private async Task InitializeClusterAsync(string initdb, string root, string data, ResourceContext context, CancellationToken cancellationToken)
    {
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true); // a half-made cluster from an interrupted first start
        Directory.CreateDirectory(data);
        var passwordFile = Path.Combine(root, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, _password, cancellationToken);
        try
        {
            await ChownAsync(User, Name, context, cancellationToken, data, passwordFile);
            await ChildProcess.RunToCompletionAsync(new ProcessSpec(initdb,
            [
                "-D", data, "-U", User, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=peer",
                "--encoding=UTF8", "--locale=C", "--no-instructions",
            ]).AsUser(User), Name, context, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>A postmaster left running by a killed AppHost would keep the data directory locked.</summary>
    private async Task StopLeftoverServerAsync(string data, ResourceContext context)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile)) return;
        if (!int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) || !PosixSignals.IsAlive(pid)) return;
        context.Logs.Write(Name, $"stopping a postgres (pid {pid}) left running on this data directory by an earlier run", isError: false);
        PosixSignals.Send(pid, PosixSignals.SIGINT);
        for (var i = 0; i < 100 && PosixSignals.IsAlive(pid); i++) await Task.Delay(100);
    }

    internal override async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        await HealthProbe.WaitUntilAsync(Name, async token =>
        {
            await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
            await connection.OpenAsync(token);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = DatabaseName } } };
            if (await exists.ExecuteScalarAsync(token) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
                await create.ExecuteNonQueryAsync(token);
            }
            return true;
        }, AnyProcessExited, TimeSpan.FromSeconds(60), cancellationToken);
    }
}
