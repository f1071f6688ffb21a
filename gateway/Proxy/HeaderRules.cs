using Microsoft.Extensions.Primitives;

namespace Vigil.Gateway.Proxy;

/// <summary>Which headers cross the proxy, in each direction.</summary>
public static class HeaderRules
{
    /// <summary>Headers that describe one hop (RFC 9110 §7.6.1) and never cross a proxy.</summary>
    public static readonly IReadOnlySet<string> HopByHop = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Proxy-Authenticate", "Proxy-Authorization",
    };

    /// <summary>
    /// Incoming trace context. ASP.NET Core has already parented the request's activity on it; the outgoing
    /// handler injects the gateway's own context, which it only does when these headers are absent.
    /// </summary>
    public static readonly IReadOnlySet<string> TraceContext = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context",
    };

    /// <summary>Headers the gateway sets itself on the forwarded request.</summary>
    public static readonly IReadOnlySet<string> SetByProxy = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", ForwardedHeaders.For, ForwardedHeaders.Proto, ForwardedHeaders.Host,
    };

    /// <summary>The client's credentials for the gateway itself: checked here, never handed to a service.</summary>
    public static readonly IReadOnlySet<string> GatewayCredentials = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "X-Api-Key", "Authorization",
    };

    /// <summary>The header names listed in a Connection header, which are hop-by-hop for that message.</summary>
    public static IReadOnlySet<string> ConnectionTokens(IEnumerable<string?> connectionHeaderValues)
    {
        var tokens = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connectionHeaderValues)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    public static bool IsHopByHop(string name, IReadOnlySet<string> connectionTokens) =>
        HopByHop.Contains(name) || connectionTokens.Contains(name);

    /// <summary>True when a client request header is copied onto the forwarded request.</summary>
    public static bool ForwardRequestHeader(string name, IReadOnlySet<string> connectionTokens) =>
        !IsHopByHop(name, connectionTokens)
        && !TraceContext.Contains(name)
        && !SetByProxy.Contains(name)
        && !GatewayCredentials.Contains(name)
        && !name.StartsWith(':'); // HTTP/2 and HTTP/3 pseudo-headers

    /// <summary>True when a destination response header is copied onto the client response.</summary>
    public static bool ForwardResponseHeader(string name, IReadOnlySet<string> connectionTokens) =>
        !IsHopByHop(name, connectionTokens);

    /// <summary>X-Forwarded-For value: the existing chain (if any) with the client address appended.</summary>
    public static string AppendForwardedFor(StringValues existing, string? clientAddress)
    {
        var chain = string.Join(", ", existing.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()));
        if (string.IsNullOrEmpty(clientAddress))
        {
            return chain;
        }

        return chain.Length == 0 ? clientAddress : $"{chain}, {clientAddress}";
    }

    public static class ForwardedHeaders
    {
        public const string For = "X-Forwarded-For";
        public const string Proto = "X-Forwarded-Proto";
        public const string Host = "X-Forwarded-Host";
    }
}
