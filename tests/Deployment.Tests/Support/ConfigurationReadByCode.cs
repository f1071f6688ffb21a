using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigil.Deployment.Tests.Support;

/// <summary>One service's source: its own C# files and appsettings*.json documents.</summary>
public sealed record ServiceSource(string Service, IReadOnlyList<string> CSharp, IReadOnlyList<string> AppSettings);

/// <summary>
/// The configuration the services read, found in their source rather than listed by hand, in environment-variable
/// form (<c>Section__Key</c>):
/// <list type="bullet">
/// <item>connection names: each <c>AddVigil*(...)</c> call of a service, with the <c>connectionName</c> it passes by
/// name or the default its ServiceDefaults signature declares; literal <c>GetConnectionString("x")</c> reads;</item>
/// <item>options: classes with <c>const string Section</c>/<c>SectionName</c> and their public properties (nested
/// option classes recursively; collections allow any key below them);</item>
/// <item>literal reads: <c>Configuration["A:B"]</c>, <c>GetSection("A:B")</c>, <c>GetValue&lt;T&gt;("A:B")</c>;</item>
/// <item>service discovery: each <c>ReverseProxy:Clusters</c> destination address <c>http://name</c> in a service's
/// appsettings.json, read as <c>services__name__http__0</c> (Aspire's convention, what the gateway's resolver reads),
/// and literal <c>services:name:http:0</c> reads in a service's code;</item>
/// <item>queues: <c>AddVigilMessaging("service", ...)</c> with <c>AddConsumer&lt;XConsumer&gt;</c> listens on
/// <c>service-x</c> in kebab case (MassTransit's KebabCaseEndpointNameFormatter with the service as prefix).</item>
/// </list>
/// </summary>
public sealed partial class ConfigurationReadByCode
{
    private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _prefixes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SortedSet<string>> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _serviceAddresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _queues = new(StringComparer.Ordinal);

    /// <summary>Connection names each service reads (<c>ConnectionStrings__{name}</c>).</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> ConnectionsByService => _connections;

    /// <summary>Every connection name any code reads.</summary>
    public IReadOnlySet<string> ConnectionNames => _connections.Values.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Other services each service calls, as "name:scheme" for <c>services__{name}__{scheme}__0</c>: its ReverseProxy cluster
    /// addresses and its literal <c>Configuration["services:name:scheme:0"]</c> reads.
    /// </summary>
    public IReadOnlyDictionary<string, SortedSet<string>> ServiceAddressesByService => _serviceAddresses;

    /// <summary>RabbitMQ queues each service consumes.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> QueuesByService => _queues;

    /// <summary>Top-level configuration sections some code reads (<c>Ingest</c>, <c>ObjectStore</c>, ...).</summary>
    public bool ReadsSection(string section) =>
        _keys.Concat(_prefixes).Any(k => k.Split("__")[0].Equals(section, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether some code reads this environment variable (names are case-insensitive, as in .NET configuration).</summary>
    public bool Reads(string environmentVariable)
    {
        if (_keys.Contains(environmentVariable)) return true;
        if (_prefixes.Any(p => environmentVariable.StartsWith(p + "__", StringComparison.OrdinalIgnoreCase))) return true;
        var parts = environmentVariable.Split("__");
        return parts switch
        {
            ["ConnectionStrings", var name] => ConnectionNames.Contains(name),
            ["services", var name, var scheme, "0"] => _serviceAddresses.Values.Any(a => a.Contains($"{name}:{scheme}")),
            _ => false,
        };
    }

    public static ConfigurationReadByCode ScanRepository() =>
        Scan(
            Repository.CSharpSources("ServiceDefaults"),
            Repository.ServiceProjects.Select(p => new ServiceSource(
                p.Name,
                Repository.CSharpSources(p.Directory),
                Directory.EnumerateFiles(Repository.PathOf(p.Directory), "appsettings*.json").Select(File.ReadAllText).ToList()))
            .ToList());

    public static ConfigurationReadByCode Scan(IReadOnlyList<string> serviceDefaults, IReadOnlyList<ServiceSource> services)
    {
        var scan = new ConfigurationReadByCode();
        var defaults = DefaultConnectionNames(serviceDefaults);
        scan.ScanKeys(serviceDefaults);
        foreach (var service in services)
        {
            scan.ScanKeys(service.CSharp);
            var connections = scan._connections[service.Service] = new SortedSet<string>(StringComparer.Ordinal);
            var queues = scan._queues[service.Service] = new SortedSet<string>(StringComparer.Ordinal);
            var addresses = scan._serviceAddresses[service.Service] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var source in service.CSharp)
            {
                foreach (Match call in AddVigilCall().Matches(source))
                {
                    var arguments = Arguments(source, call.Index + call.Length - 1);
                    if (NamedConnection().Match(arguments) is { Success: true } named) connections.Add(named.Groups[1].Value);
                    else if (defaults.TryGetValue(call.Groups["method"].Value, out var name)) connections.Add(name);
                }
                foreach (Match read in ConnectionStringRead().Matches(source)) connections.Add(read.Groups[1].Value);
                foreach (Match read in ServiceAddressRead().Matches(source)) addresses.Add($"{read.Groups["name"].Value}:{read.Groups["scheme"].Value}");
                queues.UnionWith(Queues(source));
            }
            foreach (var json in service.AppSettings) addresses.UnionWith(ClusterAddresses(json));
        }
        return scan;
    }

    /// <summary>AddVigilX -> the default of its <c>string connectionName = "..."</c> parameter.</summary>
    private static Dictionary<string, string> DefaultConnectionNames(IEnumerable<string> serviceDefaults) =>
        serviceDefaults.SelectMany(source => ExtensionSignature().Matches(source))
            .Select(m => (Method: m.Groups["method"].Value, Default: ConnectionDefault().Match(m.Groups["parameters"].Value)))
            .Where(m => m.Default.Success)
            .ToDictionary(m => m.Method, m => m.Default.Groups[1].Value, StringComparer.Ordinal);

    private void ScanKeys(IEnumerable<string> sources)
    {
        var list = sources.ToList();
        var classes = list.SelectMany(ClassBodies).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Body, StringComparer.Ordinal);
        foreach (var (name, body) in classes)
        {
            if (SectionConstant().Match(body) is { Success: true } section) AddOptions(section.Groups[1].Value.Replace(":", "__"), name, classes, depth: 0);
        }
        foreach (var source in list)
        {
            foreach (Match read in LiteralKeyRead().Matches(source)) _keys.Add(read.Groups["key"].Value.Replace(":", "__"));
            foreach (Match read in LiteralSectionRead().Matches(source)) _prefixes.Add(read.Groups["key"].Value.Replace(":", "__"));
        }
    }

    private void AddOptions(string prefix, string className, IReadOnlyDictionary<string, string> classes, int depth)
    {
        if (depth > 8 || !classes.TryGetValue(className, out var body)) return;
        foreach (Match property in PublicProperty().Matches(body))
        {
            var type = property.Groups["type"].Value.Trim().TrimEnd('?');
            var key = $"{prefix}__{property.Groups["name"].Value}";
            if (type.Contains('<') || type.EndsWith("[]", StringComparison.Ordinal)) _prefixes.Add(key);
            else if (classes.ContainsKey(type)) AddOptions(key, type, classes, depth + 1);
            else _keys.Add(key);
        }
    }

    private static IEnumerable<string> Queues(string source)
    {
        foreach (Match messaging in MessagingCall().Matches(source))
        {
            var arguments = Arguments(source, messaging.Index + messaging.Length - 1);
            var service = messaging.Groups["service"].Value;
            foreach (Match consumer in AddConsumer().Matches(arguments))
                yield return $"{service}-{Kebab(consumer.Groups["message"].Value)}";
        }
    }

    /// <summary>"name:scheme" for every ReverseProxy cluster destination address without a port.</summary>
    private static IEnumerable<string> ClusterAddresses(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("ReverseProxy", out var proxy) || !proxy.TryGetProperty("Clusters", out var clusters)) yield break;
        foreach (var cluster in clusters.EnumerateObject())
        {
            if (!cluster.Value.TryGetProperty("Destinations", out var destinations)) continue;
            foreach (var destination in destinations.EnumerateObject())
            {
                if (!destination.Value.TryGetProperty("Address", out var address)
                    || ServiceAddress().Match(address.GetString() ?? "") is not { Success: true } match) continue;
                foreach (var scheme in match.Groups["schemes"].Value.Split('+'))
                    yield return $"{match.Groups["name"].Value}:{scheme}";
            }
        }
    }

    /// <summary>The text between the parenthesis at <paramref name="open"/> and its match, string literals skipped.</summary>
    private static string Arguments(string source, int open)
    {
        var depth = 0;
        for (var i = open; i < source.Length; i++)
        {
            switch (source[i])
            {
                case '"':
                    for (i++; i < source.Length && source[i] != '"'; i++) if (source[i] == '\\') i++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return source[(open + 1)..i];
            }
        }
        return source[(open + 1)..];
    }

    private static IEnumerable<(string Name, string Body)> ClassBodies(string source)
    {
        foreach (Match declaration in ClassDeclaration().Matches(source))
        {
            var open = source.IndexOf('{', declaration.Index + declaration.Length);
            var semicolon = source.IndexOf(';', declaration.Index + declaration.Length);
            if (open < 0 || (semicolon >= 0 && semicolon < open)) continue; // positional record without a body
            var depth = 0;
            for (var i = open; i < source.Length; i++)
            {
                if (source[i] == '{') depth++;
                else if (source[i] == '}' && --depth == 0)
                {
                    yield return (declaration.Groups["name"].Value, source[(open + 1)..i]);
                    break;
                }
            }
        }
    }

    /// <summary>"BatchIngested" -> "batch-ingested".</summary>
    public static string Kebab(string name) => KebabBoundary().Replace(name, "-$1").ToLowerInvariant();

    [GeneratedRegex(@"static\s+[\w<>]+\s+(?<method>AddVigil\w+)\s*(?:<[^>]*>)?\s*\((?<parameters>[^)]*)\)")]
    private static partial Regex ExtensionSignature();

    [GeneratedRegex(@"string\s+connectionName\s*=\s*""(\w+)""")]
    private static partial Regex ConnectionDefault();

    [GeneratedRegex(@"\.(?<method>AddVigil\w+)\s*\(")]
    private static partial Regex AddVigilCall();

    [GeneratedRegex(@"connectionName\s*:\s*""(\w+)""")]
    private static partial Regex NamedConnection();

    [GeneratedRegex(@"(?:GetConnectionString|ConnectionStrings\.Require)\s*\([^""()]*""(\w+)""\s*\)")]
    private static partial Regex ConnectionStringRead();

    [GeneratedRegex(@"\bAddVigilMessaging\s*\((?=\s*""(?<service>[\w-]+)"")")]
    private static partial Regex MessagingCall();

    [GeneratedRegex(@"AddConsumer<\s*(?:[\w.]+\.)?(?<message>\w+?)Consumer\s*>")]
    private static partial Regex AddConsumer();

    [GeneratedRegex(@"\b(?:class|record)\s+(?<name>\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"const\s+string\s+(?:Section|SectionName)\s*=\s*""([^""]+)""")]
    private static partial Regex SectionConstant();

    [GeneratedRegex(@"public\s+(?:required\s+)?(?<type>[\w.<>\[\]?, ]+?)\s+(?<name>\w+)\s*\{\s*get;\s*(?:set|init);")]
    private static partial Regex PublicProperty();

    [GeneratedRegex(@"(?:[Cc]onfiguration|config)\s*\[\s*""(?<key>[A-Za-z_][\w:]*)""\s*\]|GetValue<[^>]+>\s*\(\s*""(?<key>[A-Za-z_][\w:]*)""")]
    private static partial Regex LiteralKeyRead();

    [GeneratedRegex(@"GetSection\s*\(\s*""(?<key>[A-Za-z_][\w:]*)""\s*\)")]
    private static partial Regex LiteralSectionRead();

    [GeneratedRegex(@"""services:(?<name>[a-z0-9][a-z0-9-]*):(?<scheme>https?):0""", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceAddressRead();

    [GeneratedRegex(@"^(?<schemes>https?(?:\+https?)?)://(?<name>[a-z0-9][a-z0-9-]*)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceAddress();

    [GeneratedRegex(@"(?<!^)([A-Z])")]
    private static partial Regex KebabBoundary();
}
