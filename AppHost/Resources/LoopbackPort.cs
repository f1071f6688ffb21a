using System.Net;
using System.Net.Sockets;

namespace Vigil.AppHost.Resources;

/// <summary>
/// A free port on 127.0.0.1 for a backing server, chosen when the model is built: servers listen on it directly
/// (no proxy in front of the database or the broker), and it stays the same when the server is restarted.
/// </summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
