using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Vigil.AppHost.Resources;

/// <summary>Redis on 127.0.0.1 with a generated password and an append-only file under <c>.vigil/{name}</c>.</summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory, int port, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    internal string Password { get; } = password;

    /// <summary>StackExchange.Redis configuration string.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"127.0.0.1:{Port.ToString()},password={Password}");
}

public static class RedisServerExtensions
{
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name, VigilLayout layout)
    {
        var root = layout.DirectoryFor(name);
        var server = new ServerCommand("redis-server", user: null);
        var resource = new RedisServerResource(name, server.Command, root, LoopbackPort.Free(), GeneratedSecret.GetOrCreate(root, "password"));
        // The password goes in a config file (mode 0600), not on the command line the dashboard shows.
        var config = Path.Combine(root, "redis.conf");

        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, token => PingAsync(resource, token));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (e, token) =>
        {
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            server.Path = await ServerInstaller.RequireAsync("redis-server", Installation.Apt("redis-server"), log, token);
            await SecretFile.WriteAsync(config, $"""
                bind 127.0.0.1
                port {resource.Port}
                dir {root}
                requirepass {resource.Password}
                appendonly yes
                save ""
                daemonize no
                logfile ""
                """, token);
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                server.AddPrefix(context);
                context.Args.Add(config);
            })
            .WithHealthCheck(healthCheck)
            .WithInstanceMarker();
    }

    private static async Task<HealthCheckResult> PingAsync(RedisServerResource resource, CancellationToken token)
    {
        var reply = await ServerProbes.TcpExchangeAsync(resource.Port, Encoding.ASCII.GetBytes($"AUTH {resource.Password}\r\nPING\r\n"), 64, token);
        var text = Encoding.ASCII.GetString(reply);
        // Replies may arrive in one or two segments; a lone +OK means PONG is on its way.
        return text.Contains("+PONG") || text.StartsWith("+OK", StringComparison.Ordinal)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"redis answered '{text.Trim()}'");
    }
}
