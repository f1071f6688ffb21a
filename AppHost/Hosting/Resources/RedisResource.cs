using System.Text;
using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>Redis on 127.0.0.1 with a generated password and an append-only file under <c>.vigil/{name}</c>.</summary>
public sealed class RedisResource(string name) : ServerResource(name), IResourceWithConnectionString
{
    private string _password = "";

    public override string Kind => "redis";

    public override string? Url => Port == 0 ? null : $"redis://127.0.0.1:{Port}";

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={_password}";

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var server = await ServerInstaller.RequireAsync(Name, "redis-server", Installation.Apt("redis-server"), context, cancellationToken);
        var root = context.DirectoryFor(Name);
        _password = GeneratedSecret.GetOrCreate(root, "password");
        Port = PortAllocator.FreeLoopbackPort();
        Launch(new ProcessSpec(server,
        [
            "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", root,
            "--requirepass", _password, "--appendonly", "yes", "--save", "",
            "--daemonize", "no", "--logfile", "",
        ]), context);
    }

    internal override Task WaitHealthyAsync(CancellationToken cancellationToken) =>
        HealthProbe.WaitUntilAsync(Name, async token =>
        {
            var reply = await HealthProbe.TcpExchangeAsync(Port, HealthProbe.Ascii($"AUTH {_password}\r\nPING\r\n"), 64, token);
            var text = Encoding.ASCII.GetString(reply);
            // Replies may arrive in one or two segments; a lone +OK means PONG is on its way.
            return text.Contains("+PONG") || text.StartsWith("+OK", StringComparison.Ordinal);
        }, AnyProcessExited, TimeSpan.FromSeconds(30), cancellationToken);
}
