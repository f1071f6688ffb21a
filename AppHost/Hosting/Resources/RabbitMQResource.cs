using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>
/// A private RabbitMQ node: its own epmd on a free port (so no daemon outlives us), its own node/dist ports,
/// mnesia and logs under <c>.vigil/{name}</c> owned by the rabbitmq user, and a generated password for user <c>vigil</c>.
/// </summary>
public sealed class RabbitMQResource(string name) : ServerResource(name), IResourceWithConnectionString
{
    private const string User = "rabbitmq";
    private const string BrokerUser = "vigil";
    private static readonly byte[] AmqpProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];
    private string _password = "";

    public override string Kind => "rabbitmq";

    public override string? Url => Port == 0 ? null : $"amqp://127.0.0.1:{Port}";

    public string ConnectionString => $"amqp://{BrokerUser}:{_password}@127.0.0.1:{Port}/";

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var apt = Installation.Apt("rabbitmq-server");
        // The script under /usr/lib/rabbitmq/bin runs the broker in the foreground; Debian's /usr/sbin wrapper would redirect its output away.
        var server = await ServerInstaller.RequireAsync(Name, "rabbitmq-server", apt, context, cancellationToken, "/usr/lib/rabbitmq/bin");
        var epmd = await ServerInstaller.RequireAsync(Name, "epmd", apt, context, cancellationToken);

        var root = context.DirectoryFor(Name);
        _password = GeneratedSecret.GetOrCreate(root, "password");
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        var mnesia = Directory.CreateDirectory(Path.Combine(root, "mnesia")).FullName;
        var logs = Directory.CreateDirectory(Path.Combine(root, "log")).FullName;

        Port = PortAllocator.FreeLoopbackPort();
        var epmdPort = PortAllocator.FreeLoopbackPort();
        var distPort = PortAllocator.FreeLoopbackPort();

        var config = Path.Combine(root, "rabbitmq.conf");
        await File.WriteAllTextAsync(config, $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            default_user = {BrokerUser}
            default_pass = {_password}
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.file = false
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, "enabled_plugins"), "[].", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, "rabbitmq-env.conf"), "", cancellationToken);
        await ChownAsync(User, Name, context, cancellationToken, home, mnesia, logs);

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["ERL_EPMD_PORT"] = epmdPort.ToString(),
            ["RABBITMQ_NODENAME"] = "vigil@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = mnesia,
            ["RABBITMQ_LOG_BASE"] = logs,
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(root, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(mnesia, "vigil.pid"),
        };
        Launch(new ProcessSpec(epmd, ["-port", epmdPort.ToString(), "-address", "127.0.0.1"]) { Environment = environment }.AsUser(User), context);
        Launch(new ProcessSpec(server, []) { Environment = environment, WorkingDirectory = home }.AsUser(User), context);
    }

    internal override Task WaitHealthyAsync(CancellationToken cancellationToken) =>
        HealthProbe.WaitUntilAsync(Name, async token =>
        {
            // A broker that is ready answers the protocol header with a Connection.Start method frame (type 1).
            var reply = await HealthProbe.TcpExchangeAsync(Port, AmqpProtocolHeader, 8, token);
            return reply.Length > 0 && reply[0] == 1;
        }, AnyProcessExited, TimeSpan.FromSeconds(90), cancellationToken);
}
