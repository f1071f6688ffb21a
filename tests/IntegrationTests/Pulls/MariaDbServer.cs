using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using MySqlConnector;
using Vigil.AppHost.Resources;

namespace Vigil.IntegrationTests.Pulls;

/// <summary>
/// A private MariaDB server for the MySQL/MariaDB pull tests, started by the test harness as an executable resource
/// the way the AppHost starts Postgres: Debian's <c>mariadbd</c> (installed by scripts/provision), a data directory
/// under the test run's throw-away folder (initialised by <c>mariadb-install-db</c> before the first start), listening
/// on 127.0.0.1 and a free port, with its own socket. Not added when MariaDB is not installed (the tests then skip).
/// </summary>
public static class MariaDbServer
{
    public const string Daemon = "/usr/sbin/mariadbd";
    public const string InstallDb = "/usr/bin/mariadb-install-db";

    /// <summary>The database the tests create their tables in; Ingest's connection 'shopdb' reads it.</summary>
    public const string Database = "vigil_shop";

    public static bool Installed => File.Exists(Daemon) && File.Exists(InstallDb);

    /// <summary>Adds the server to the application; the connection string of its root user and <see cref="Database"/>.</summary>
    public static string Add(IDistributedApplicationBuilder builder, string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "mariadb");
        var data = Path.Combine(root, "data");
        var port = LoopbackPort.Free();
        Directory.CreateDirectory(root);
        var server = builder.AddExecutable("mariadb", Daemon, root,
            "--no-defaults", $"--datadir={data}", $"--socket={Path.Combine(root, "mysqld.sock")}", $"--pid-file={Path.Combine(root, "mysqld.pid")}",
            "--bind-address=127.0.0.1", $"--port={port}", "--skip-log-bin", "--innodb-buffer-pool-size=32M",
            // mariadbd refuses root unless named; as another user the option is ignored with a note.
            "--user=root");
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server.Resource, async (_, token) =>
        {
            if (Directory.Exists(Path.Combine(data, "mysql"))) return;
            using var install = Process.Start(new ProcessStartInfo(InstallDb,
                ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = install.StandardOutput.ReadToEndAsync(token);
            var errors = install.StandardError.ReadToEndAsync(token);
            await install.WaitForExitAsync(token);
            if (install.ExitCode != 0)
                throw new InvalidOperationException($"mariadb-install-db failed ({install.ExitCode}): {await errors} {await output}");
        });
        return $"Server=127.0.0.1;Port={port};User ID=root;Database={Database};Pooling=false";
    }

    /// <summary>Waits until the server answers (it starts with the application), then creates <see cref="Database"/>.</summary>
    public static async Task EnsureDatabaseAsync(string connectionString, TimeSpan timeout)
    {
        var server = new MySqlConnectionStringBuilder(connectionString) { Database = "" };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                await using var create = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS {Database}", connection);
                await create.ExecuteNonQueryAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}

/// <summary>A test that needs the private MariaDB server; skipped, with the reason, only where MariaDB is not installed.</summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (!MariaDbServer.Installed)
            Skip = $"{MariaDbServer.Daemon} is not installed (scripts/provision installs it with apt-get install mariadb-server, as root).";
    }
}
