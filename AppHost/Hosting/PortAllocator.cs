using System.Net;
using System.Net.Sockets;

namespace Vigil.AppHost.Hosting;

/// <summary>Finds free loopback ports; the OS picks them, so two apps (or a test run beside a dev run) never collide.</summary>
internal static class PortAllocator
{
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
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
