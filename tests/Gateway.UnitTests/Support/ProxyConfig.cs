using System.Globalization;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>Builds the flat configuration keys of a <c>ReverseProxy</c> section (plus service discovery entries).</summary>
internal sealed class ProxyConfig
{
    private readonly Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);

    public ProxyConfig Route(string routeId, string clusterId, string path, TimeSpan? timeout = null, int? order = null,
        long? maxRequestBodySize = null, params string[] methods)
    {
        var prefix = $"ReverseProxy:Routes:{routeId}";
        values[$"{prefix}:ClusterId"] = clusterId;
        values[$"{prefix}:Match:Path"] = path;
        if (timeout is not null)
        {
            values[$"{prefix}:Timeout"] = timeout.Value.ToString("c", CultureInfo.InvariantCulture);
        }

        if (order is not null)
        {
            values[$"{prefix}:Order"] = order.Value.ToString(CultureInfo.InvariantCulture);
        }

        if (maxRequestBodySize is not null)
        {
            values[$"{prefix}:MaxRequestBodySize"] = maxRequestBodySize.Value.ToString(CultureInfo.InvariantCulture);
        }

        for (var i = 0; i < methods.Length; i++)
        {
            values[$"{prefix}:Match:Methods:{i}"] = methods[i];
        }

        return this;
    }

    public ProxyConfig Cluster(string clusterId, params string[] addresses)
    {
        for (var i = 0; i < addresses.Length; i++)
        {
            values[$"ReverseProxy:Clusters:{clusterId}:Destinations:d{i + 1}:Address"] = addresses[i];
        }

        return this;
    }

    public ProxyConfig Set(string key, string? value)
    {
        values[key] = value;
        return this;
    }

    /// <summary>Aspire-style service discovery entry: <c>services:{name}:http:0</c>.</summary>
    public ProxyConfig Service(string name, Uri address) => Set($"services:{name}:http:0", address.ToString().TrimEnd('/'));

    public IReadOnlyDictionary<string, string?> Values => values;
}
