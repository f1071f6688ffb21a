namespace Vigil.Gateway.Proxy;

/// <summary>
/// Resolves a destination address the way Aspire service discovery does: <c>http://ingest</c> becomes the value of
/// <c>services:ingest:http:0</c> (environment variable <c>services__ingest__http__0</c>) when that key exists,
/// and is used literally otherwise. <c>https+http://ingest</c> prefers the https endpoint and falls back to http.
/// Resolution reads <see cref="IConfiguration"/> on every call, so a changed configuration applies to the next request.
/// </summary>
public sealed class ServiceAddressResolver(IConfiguration configuration)
{
    /// <summary>Returns the base address to forward to, without a trailing slash.</summary>
    public string Resolve(string address)
    {
        if (!TryParse(address, out var schemes, out var authority, out var path))
        {
            throw new ArgumentException($"'{address}' is not an absolute http(s) address.", nameof(address));
        }

        // A logical service name has no port; an address with one (or an IP literal) is never looked up.
        if (!authority.Contains(':'))
        {
            foreach (var scheme in schemes)
            {
                var discovered = configuration[$"services:{authority}:{scheme}:0"];
                if (!string.IsNullOrWhiteSpace(discovered))
                {
                    return discovered.TrimEnd('/') + path;
                }
            }
        }

        return $"{schemes[0]}://{authority}{path}";
    }

    /// <summary>True for <c>http://host[:port][/path]</c>, <c>https://...</c> and <c>https+http://...</c>.</summary>
    public static bool IsValidAddress(string? address) => TryParse(address, out _, out _, out _);

    private static bool TryParse(string? address, out string[] schemes, out string authority, out string path)
    {
        schemes = [];
        authority = "";
        path = "";

        var separator = address?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (address is null || separator <= 0)
        {
            return false;
        }

        schemes = address[..separator].ToLowerInvariant().Split('+');
        if (schemes.Any(scheme => scheme is not ("http" or "https")))
        {
            return false;
        }

        var rest = address[(separator + 3)..];
        var slash = rest.IndexOf('/');
        authority = slash < 0 ? rest : rest[..slash];
        path = slash < 0 ? "" : rest[slash..].TrimEnd('/');

        return authority.Length > 0
            && !rest.Contains('?')
            && !rest.Contains('#')
            && Uri.TryCreate($"{schemes[0]}://{authority}{path}", UriKind.Absolute, out _);
    }
}
