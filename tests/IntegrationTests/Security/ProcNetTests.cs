using System.Net;

namespace Vigil.IntegrationTests.Security;

/// <summary>The /proc/net/tcp parsing the loopback test relies on, on lines as the kernel writes them.</summary>
public sealed class ProcNetTests
{
    [Fact]
    public void Listening_sockets_are_read_with_their_address_port_and_inode_and_other_states_are_skipped()
    {
        string[] table =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0",
            "   1: 00000000:AF35 00000000:0000 0A 00000000:00000000 00:00000000 00000000   109        0 777 1 0000000000000000 100 0 0 10 0",
            "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 20 4 30 10 -1",
        ];

        var sockets = ProcNet.ParseTable(table).ToList();

        Assert.Equal([new ListeningSocket(IPAddress.Loopback, 8080, 4242), new ListeningSocket(IPAddress.Any, 44853, 777)], sockets);
        Assert.True(sockets[0].IsLoopback);
        Assert.False(sockets[1].IsLoopback);
    }

    [Theory]
    [InlineData("00000000000000000000000001000000", "::1", true)]
    [InlineData("00000000000000000000000000000000", "::", false)]
    [InlineData("0000000000000000FFFF00000100007F", "::ffff:127.0.0.1", true)]
    public void Ipv6_addresses_are_read_word_by_word(string hex, string expected, bool loopback)
    {
        var address = ProcNet.ParseAddress(hex);

        Assert.Equal(IPAddress.Parse(expected), address);
        Assert.Equal(loopback, new ListeningSocket(address, 1, 1).IsLoopback);
    }
}
