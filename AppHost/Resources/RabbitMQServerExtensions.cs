using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Vigil.AppHost.Resources;

/// <summary>
/// A private RabbitMQ node: its own node name, its own epmd (a child resource, so no daemon outlives the AppHost) and
/// distribution port, all on 127.0.0.1; mnesia and logs under <c>.vigil/{name}</c> owned by the rabbitmq user, and a
/// generated password for the broker user <c>vigil</c> kept in a config file (mode 0600).
/// </summary>
public sealed class RabbitMQServerResource(string name, string command, string workingDirectory, int port, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string User = "rabbitmq";
    internal const string BrokerUser = "vigil";

    public int Port { get; } = port;

    internal string Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{BrokerUser}:{Password}@127.0.0.1:{Port.ToString()}/");
}

public static class RabbitMQServerExtensions
{
    // The script under /usr/lib/rabbitmq/bin runs the broker in the foreground; Debian's /usr/sbin wrapper would send its output away.
    private static readonly string[] ServerDirectories = ["/usr/lib/rabbitmq/bin"];
    /// <summary>Erlang's kernel parameter that binds the distribution listener to one address, here 127.0.0.1.</summary>
    internal const string DistributionOnLoopback = "-kernel inet_dist_use_interface {127,0,0,1}";

    private static readonly byte[] AmqpProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQServer(this IDistributedApplicationBuilder builder, string name, VigilLayout layout)
    {
        var root = layout.DirectoryFor(name);
        var home = Path.Combine(root, "home");
        var mnesia = Path.Combine(root, "mnesia");
        var logs = Path.Combine(root, "log");
        var config = Path.Combine(root, "rabbitmq.conf");
        var epmdPort = LoopbackPort.Free();
        var distributionPort = LoopbackPort.Free();
        var installation = Installation.Apt("rabbitmq-server");

        var server = new ServerCommand("rabbitmq-server", RabbitMQServerResource.User, ServerDirectories);
        var resource = new RabbitMQServerResource(name, server.Command, root, LoopbackPort.Free(), GeneratedSecret.GetOrCreate(root, "password"));
        var epmdServer = new ServerCommand("epmd", RabbitMQServerResource.User);
        var epmd = builder.AddResource(new ExecutableResource($"{name}-epmd", epmdServer.Command, root));

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["ERL_EPMD_PORT"] = epmdPort.ToString(),
            // The node registers with (and its CLI tools ask) epmd on loopback only.
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = "vigil@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = resource.Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(),
            // Without this the Erlang distribution listener binds every interface (0.0.0.0), whatever the AMQP listener does.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = DistributionOnLoopback,
            ["RABBITMQ_MNESIA_BASE"] = mnesia,
            ["RABBITMQ_LOG_BASE"] = logs,
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(root, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(mnesia, "vigil.pid"),
        };

        var epmdReady = $"{name}-epmd-ready";
        var brokerReady = $"{name}-ready";
        builder.Services.AddHealthChecks()
            .AddAsyncCheck(epmdReady, async token =>
            {
                // epmd answers a NAMES request (length 1, code 110) with its own port number first.
                var reply = await ServerProbes.TcpExchangeAsync(epmdPort, [0, 1, 110], 4, token);
                return reply.Length == 4 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("epmd did not answer");
            })
            .AddAsyncCheck(brokerReady, async token =>
            {
                // A broker that is ready answers the protocol header with a Connection.Start method frame (type 1).
                var reply = await ServerProbes.TcpExchangeAsync(resource.Port, AmqpProtocolHeader, 8, token);
                return reply.Length > 0 && reply[0] == 1 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no AMQP Connection.Start yet");
            });

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(epmd.Resource, async (e, token) =>
        {
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(epmd.Resource);
            epmdServer.Path = await ServerInstaller.RequireAsync("epmd", installation, log, token);
        });
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (e, token) =>
        {
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            server.Path = await ServerInstaller.RequireAsync("rabbitmq-server", installation, log, token, ServerDirectories);
            foreach (var directory in new[] { home, mnesia, logs }) Directory.CreateDirectory(directory);
            await SecretFile.WriteAsync(config, $"""
                listeners.tcp.default = 127.0.0.1:{resource.Port}
                default_user = {RabbitMQServerResource.BrokerUser}
                default_pass = {resource.Password}
                loopback_users = none
                log.console = true
                log.console.level = warning
                log.file = false
                """, token);
            await File.WriteAllTextAsync(Path.Combine(root, "enabled_plugins"), "[].", token);
            await File.WriteAllTextAsync(Path.Combine(root, "rabbitmq-env.conf"), "", token);
            await ToolProcess.ChownAsync(RabbitMQServerResource.User, log, token, home, mnesia, logs, config);
        });

        epmd.WithArgs(context =>
            {
                epmdServer.AddPrefix(context);
                foreach (var argument in new[] { "-port", epmdPort.ToString(), "-address", "127.0.0.1" }) context.Args.Add(argument);
            })
            .WithEnvironment(context => { foreach (var (key, value) in environment) context.EnvironmentVariables[key] = value; })
            .WithHealthCheck(epmdReady)
            .WithInstanceMarker()
            .WithParentRelationship(resource);

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(server.AddPrefix)
            .WithEnvironment(context => { foreach (var (key, value) in environment) context.EnvironmentVariables[key] = value; })
            .WithHealthCheck(brokerReady)
            .WithInstanceMarker()
            .WaitFor(epmd);
    }
}
