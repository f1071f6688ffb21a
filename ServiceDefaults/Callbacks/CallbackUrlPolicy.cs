using System.Net;
using System.Net.Sockets;

namespace Vigil.ServiceDefaults.Callbacks;

/// <summary>
/// Which callback URLs may be called: absolute http(s) without credentials, and no loopback, link-local, private,
/// shared (CGNAT), unspecified or multicast address unless the host or range is on the allow-list. Checked on the URL
/// when a batch is submitted and again on every address the host resolves to when the callback is sent, so a name that
/// resolves to an internal address is refused too.
/// </summary>
public sealed class CallbackUrlPolicy
{
    public const int MaxLength = 2000;

    private readonly HashSet<string> _allowedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(IPAddress Network, int PrefixLength)> _allowedRanges = [];

    public CallbackUrlPolicy(IEnumerable<string> allowedHosts)
    {
        foreach (var entry in allowedHosts.Select(h => h.Trim()).Where(h => h.Length > 0))
        {
            if (TryParseRange(entry, out var range)) _allowedRanges.Add(range);
            else _allowedNames.Add(entry);
        }
    }

    /// <summary>Null when <paramref name="url"/> may be used, otherwise why not (said to the caller, so no secrets in it).</summary>
    public string? Check(string url, out Uri? parsed)
    {
        parsed = null;
        if (url.Length > MaxLength) return $"A callback URL is limited to {MaxLength} characters.";
        // A bare path ("/hook") parses as a file URI on Unix: an absolute URL here has a scheme followed by "://".
        if (!url.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "The callback URL is not an absolute http(s) URL.";
        if (uri.Scheme is not ("http" or "https")) return $"The callback URL's scheme '{uri.Scheme}' is not allowed; use http or https.";
        if (uri.UserInfo.Length > 0) return "The callback URL must not carry credentials; Vigil signs each callback instead.";
        if (_allowedNames.Contains(uri.IdnHost)) { parsed = uri; return null; }
        if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return $"The callback URL points at loopback ('{uri.IdnHost}'), which is refused unless {CallbackOptions.Section}:AllowedHosts names it.";
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && CheckAddress(address) is { } refused) return refused;
        parsed = uri;
        return null;
    }

    /// <summary>Null when a resolved address may be connected to, otherwise why not.</summary>
    public string? CheckAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_allowedRanges.Any(r => InRange(address, r.Network, r.PrefixLength))) return null;
        var kind = Classify(address);
        return kind is null ? null : $"The callback URL points at a {kind} address ({address}), which is refused unless {CallbackOptions.Section}:AllowedHosts names it.";
    }

    /// <summary>Whether the host name itself is on the allow-list (then its addresses are not checked).</summary>
    public bool IsAllowedName(string host) => _allowedNames.Contains(host);

    private static string? Classify(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                100 when b[1] >= 64 && b[1] < 128 => "shared (CGNAT)",
                169 when b[1] == 254 => "link-local",
                172 when b[1] >= 16 && b[1] < 32 => "private",
                192 when b[1] == 168 => "private",
                >= 224 => "multicast or reserved",
                _ => null,
            };
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
        if (address.IsIPv6UniqueLocal) return "private";
        if (address.IsIPv6Multicast) return "multicast";
        return null;
    }

    private static bool TryParseRange(string entry, out (IPAddress, int) range)
    {
        range = default;
        var slash = entry.IndexOf('/');
        var text = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(text, out var network)) return false;
        if (network.IsIPv4MappedToIPv6) network = network.MapToIPv4();
        var bits = network.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], out prefix) || prefix < 0 || prefix > bits)) return false;
        range = (network, prefix);
        return true;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && prefixLength > 0; i++, prefixLength -= 8)
        {
            var mask = prefixLength >= 8 ? 0xFF : 0xFF << (8 - prefixLength) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }
}
