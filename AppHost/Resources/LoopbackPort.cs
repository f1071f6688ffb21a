using System.Net;
using System.Net.Sockets;

namespace Vigil.AppHost.Resources;

/// <summary>
/// A free port on 127.0.0.1 for a backing server or a service, chosen when the model is built: they listen on it
/// directly (no proxy in front of the database, the broker or an internal service), and it stays the same when the
/// resource is restarted. No port is handed out twice by one process.
/// </summary>
/// <remarks>
/// Chosen below the kernel's ephemeral range, not by binding port 0: a port from that range is free only until the
/// kernel hands it to some outgoing connection as its source port, and a server starts seconds after its port is
/// chosen. On a busy machine (a test suite opening connections while a second Vigil starts) Postgres once found its
/// port taken that way and never became healthy. Below the range only a process that binds a port explicitly can
/// take it, and the candidates are random so that two AppHosts starting together rarely try the same one.
/// Every port of one AppHost comes from here, services' too: once Aspire's orchestrator chose Ingest's port itself and
/// chose the one already handed to RabbitMQ's port mapper, which bound it first; Ingest never started. A port is only
/// checked free when chosen, so the ports handed out are remembered: random choices would otherwise repeat one (an
/// AppHost's thirteen ports, drawn from some twelve thousand, would repeat one about once in 160 starts).
/// </remarks>
public static class LoopbackPort
{
    /// <summary>The lowest port handed out; under it lie the well-known and commonly configured ports.</summary>
    public const int Lowest = 20_000;

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Attempts = 200;

    private static readonly HashSet<int> HandedOut = [];

    public static int Free()
    {
        lock (HandedOut)
        {
            var port = Choose();
            HandedOut.Add(port);
            return port;
        }
    }

    private static int Choose()
    {
        var below = EphemeralStart();
        if (below - Lowest >= 1_000)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (!HandedOut.Contains(port) && IsFree(port)) return port;
            }
        }
        // No room below the ephemeral range (or every candidate taken): let the kernel choose one.
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!HandedOut.Contains(port)) return port;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux's default when it cannot be read).</summary>
    public static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var port) && port is > 1024 and < 65536 ? port : 32768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 32768;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
