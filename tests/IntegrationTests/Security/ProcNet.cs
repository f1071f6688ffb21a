using System.Globalization;
using System.Net;

namespace Vigil.IntegrationTests.Security;

/// <summary>A listening TCP socket as /proc/net/tcp or tcp6 lists it: its local address, port and socket inode.</summary>
public sealed record ListeningSocket(IPAddress Address, int Port, long Inode)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address) || (Address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(Address.MapToIPv4()));

    public override string ToString() => $"{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{Port}";
}

/// <summary>Reads the kernel's socket tables and which process holds which socket (Linux /proc).</summary>
public static class ProcNet
{
    private const string ListenState = "0A";

    /// <summary>Every listening socket in /proc/net/tcp and /proc/net/tcp6.</summary>
    public static IReadOnlyList<ListeningSocket> Listeners(string procRoot = "/proc") =>
        [.. new[] { "net/tcp", "net/tcp6" }.Select(table => Path.Combine(procRoot, table)).Where(File.Exists).SelectMany(path => ParseTable(File.ReadAllLines(path)))];

    /// <summary>
    /// Parses a /proc/net/tcp{,6} table: "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...";
    /// addresses are hex in the kernel's byte order (each 32-bit word little-endian on x86 and arm64).
    /// </summary>
    public static IEnumerable<ListeningSocket> ParseTable(IEnumerable<string> lines)
    {
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != ListenState) continue;
            var local = fields[1].Split(':');
            yield return new ListeningSocket(ParseAddress(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
    }

    public static IPAddress ParseAddress(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), BitConverter.IsLittleEndian ? value : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value));
        }
        return new IPAddress(bytes);
    }

    /// <summary>The socket inodes a process holds open (its fd links "socket:[inode]"); empty when it is gone or not readable.</summary>
    public static IReadOnlySet<long> SocketInodes(int pid, string procRoot = "/proc")
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "fd")))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
                    inodes.Add(inode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
        }
        return inodes;
    }
}
