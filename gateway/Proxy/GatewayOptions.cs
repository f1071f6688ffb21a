namespace Vigil.Gateway.Proxy;

/// <summary>
/// The reverse proxy's configuration, bound from the <c>ReverseProxy</c> section.
/// Shaped like YARP's configuration (routes + clusters) so that YARP can replace this forwarder.
/// </summary>
public sealed record GatewayOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Default for <see cref="RouteConfig.Timeout"/> when a route sets none.</summary>
    public static readonly TimeSpan DefaultRouteTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Default for <see cref="PassiveHealthCheckConfig.ReactivationPeriod"/>.</summary>
    public static readonly TimeSpan DefaultReactivationPeriod = TimeSpan.FromSeconds(30);

    public Dictionary<string, RouteConfig> Routes { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ClusterConfig> Clusters { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One public path pattern forwarded to one cluster.</summary>
public sealed record RouteConfig
{
    public string ClusterId { get; init; } = "";

    public RouteMatch Match { get; init; } = new();

    /// <summary>Lower values win over higher ones when several routes match (as in YARP). Default 0.</summary>
    public int? Order { get; init; }

    /// <summary>Time allowed for the whole exchange with the destination. Default 100 s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides the server's request body limit for this route; -1 removes the limit (as in YARP).</summary>
    public long? MaxRequestBodySize { get; init; }

    /// <summary>
    /// The API key scope (ingest, read or admin) that writes to this route need; reads (GET, HEAD) always need read.
    /// Default admin, so a route added without one is locked down rather than open.
    /// </summary>
    public string? AuthorizationPolicy { get; init; }
}

public sealed record RouteMatch
{
    /// <summary>An ASP.NET Core route pattern, e.g. <c>/api/runs/{**rest}</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>HTTP methods this route accepts; empty means all.</summary>
    public List<string> Methods { get; init; } = [];
}

public sealed record ClusterConfig
{
    public Dictionary<string, DestinationConfig> Destinations { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public HealthCheckConfig HealthCheck { get; init; } = new();
}

public sealed record DestinationConfig
{
    /// <summary>
    /// Base address, e.g. <c>http://ingest</c>. A logical name is resolved through service discovery
    /// (<c>services:ingest:http:0</c>); an address without such an entry is used literally.
    /// </summary>
    public string Address { get; init; } = "";
}

public sealed record HealthCheckConfig
{
    public PassiveHealthCheckConfig Passive { get; init; } = new();
}

public sealed record PassiveHealthCheckConfig
{
    /// <summary>Skip destinations that failed with a connection error. Default on.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long a failed destination is skipped (unless all destinations are failing). Default 30 s.</summary>
    public TimeSpan? ReactivationPeriod { get; init; }
}
