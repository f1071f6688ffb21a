using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vigil.AppHost.Resources;

/// <summary>
/// PostgreSQL from the machine's packages (installed when missing), its cluster under <c>.vigil/{name}/data</c>, run as
/// the postgres user when we are root, listening on 127.0.0.1 only, with a generated password and one database,
/// <c>vigil</c>, in which each service owns a schema.
/// </summary>
public sealed class PostgresServerResource(string name, string command, string workingDirectory, int port, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string DatabaseName = "vigil";
    internal const string User = "postgres";

    public int Port { get; } = port;

    internal string Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString()};Username={User};Password={Password};Database={DatabaseName}");

    /// <summary>For the AppHost's own health check: unpooled, so no idle connection of ours delays a shutdown.</summary>
    internal string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database};Timeout=3;Pooling=false";
}

public static class PostgresServerExtensions
{
    private static readonly string[] PackageDirectories = ["/usr/lib/postgresql/*/bin"];

    public static IResourceBuilder<PostgresServerResource> AddPostgresServer(this IDistributedApplicationBuilder builder, string name, VigilLayout layout)
    {
        var root = layout.DirectoryFor(name);
        var data = Path.Combine(root, "data");
        var sockets = Path.Combine(root, "run");
        var server = new ServerCommand("postgres", PostgresServerResource.User, PackageDirectories);
        var resource = new PostgresServerResource(name, server.Command, root, LoopbackPort.Free(), GeneratedSecret.GetOrCreate(root, "password"));

        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, token => CreateDatabaseAsync(resource, token));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (e, token) =>
        {
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            server.Path = await ServerInstaller.RequireAsync("postgres", Installation.Apt("postgresql"), log, token, PackageDirectories);
            await PrepareClusterAsync(resource, server.Path, root, data, sockets, log, token);
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                server.AddPrefix(context);
                foreach (var argument in new[]
                {
                    "-D", data, "-p", resource.Port.ToString(),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", $"unix_socket_directories={sockets}",
                    "-c", "synchronous_commit=off",
                })
                {
                    context.Args.Add(argument);
                }
            })
            .WithHealthCheck(healthCheck)
            .WithInstanceMarker();
    }

    private static async Task PrepareClusterAsync(PostgresServerResource resource, string postgres, string root, string data, string sockets,
        ILogger log, CancellationToken token)
    {
        Directory.CreateDirectory(sockets);
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            var initdb = ServerInstaller.Find("initdb", [Path.GetDirectoryName(postgres)!, .. PackageDirectories])
                ?? throw new InvalidOperationException("initdb was not found next to postgres.");
            // A half-made cluster from an interrupted first start is made again.
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
            Directory.CreateDirectory(data);
            var passwordFile = Path.Combine(root, "initdb-password");
            await SecretFile.WriteAsync(passwordFile, resource.Password, token);
            try
            {
                await ToolProcess.ChownAsync(PostgresServerResource.User, log, token, data, passwordFile);
                var (file, arguments) = ToolProcess.AsUser(PostgresServerResource.User, initdb,
                    "-D", data, "-U", PostgresServerResource.User, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=peer",
                    "--encoding=UTF8", "--locale=C", "--no-instructions");
                await ToolProcess.RunAsync(file, arguments, log, token);
            }
            finally
            {
                File.Delete(passwordFile);
            }
        }
        await ToolProcess.ChownAsync(PostgresServerResource.User, log, token, data, sockets);
        await StopLeftoverServerAsync(data, log);
    }

    /// <summary>A postmaster left running by a killed AppHost would keep the data directory locked.</summary>
    private static async Task StopLeftoverServerAsync(string data, ILogger log)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)) return;
        if (!File.Exists($"/proc/{pid}/cmdline") || !File.ReadAllText($"/proc/{pid}/cmdline").Contains("postgres")) return;
        log.LogWarning("Stopping a postgres (pid {Pid}) left running on this data directory by an earlier run", pid);
        await ToolProcess.RunAsync("kill", ["-INT", pid.ToString()], log, CancellationToken.None);
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(100);
    }

    /// <summary>Ready once it accepts a login; the application database is created on the first successful one.</summary>
    private static async Task<HealthCheckResult> CreateDatabaseAsync(PostgresServerResource resource, CancellationToken token)
    {
        await using var connection = new NpgsqlConnection(resource.ConnectionStringFor("postgres"));
        await connection.OpenAsync(token);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = PostgresServerResource.DatabaseName } },
        };
        if (await exists.ExecuteScalarAsync(token) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {PostgresServerResource.DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(token);
        }
        return HealthCheckResult.Healthy();
    }
}
