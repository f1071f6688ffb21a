using System.Net;
using System.Net.Sockets;
using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class LoopbackPortTests
{
    [Fact]
    public void Ports_are_chosen_below_the_ephemeral_range_and_can_be_listened_on()
    {
        var ephemeral = LoopbackPort.EphemeralStart();
        var ports = Enumerable.Range(0, 20).Select(_ => LoopbackPort.Free()).ToList();

        Assert.All(ports, port => Assert.InRange(port, LoopbackPort.Lowest, ephemeral - 1));
        // Random candidates: twenty choices are not all one port.
        Assert.True(ports.Distinct().Count() > 1, $"every choice was {ports[0]}");
        using var listener = new TcpListener(IPAddress.Loopback, ports[^1]);
        listener.Start();
    }

    [Fact]
    public void No_port_is_handed_out_twice()
    {
        // Random choices among some twelve thousand ports: five hundred of them would repeat one almost surely.
        var ports = Enumerable.Range(0, 500).Select(_ => LoopbackPort.Free()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
