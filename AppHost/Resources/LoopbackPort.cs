using System.Net;
using System.Net.Sockets;

namespace Vigil.AppHost.Resources;

/// <summary>
/// A free port on 127.0.0.1 for a backing server, chosen when the model is built: servers listen on it directly
/// (no proxy in front of the database or the broker), and it stays the same when the server is restarted.
/// </summary>
/// <remarks>
/// Chosen below the kernel's ephemeral range, not by binding port 0: a port from that range is free only until the
/// kernel hands it to some outgoing connection as its source port, and a server starts seconds after its port is
/// chosen. On a busy machine (a test suite opening connections while a second Vigil starts) Postgres once found its
/// port taken that way and never became healthy. Below the range only a process that binds a port explicitly can
/// take it, and the candidates are random so that two AppHosts starting together rarely try the same one.
/// </remarks>
public static class LoopbackPort
{
    /// <summary>The lowest port handed out; under it lie the well-known and commonly configured ports.</summary>
    public const int Lowest = 20_000;

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Attempts = 200;

    public static int Free()
    {
        var below = EphemeralStart();
        if (below - Lowest >= 1_000)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (IsFree(port)) return port;
            }
        }
        // No room below the ephemeral range (or every candidate taken): let the kernel choose one.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
