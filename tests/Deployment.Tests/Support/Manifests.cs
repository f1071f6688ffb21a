using System.Text;

namespace Vigil.Deployment.Tests.Support;

/// <summary>Where an environment variable's value comes from.</summary>
public sealed record EnvSource(string? Value = null, string? SecretName = null, string? SecretKey = null, string? ConfigMapName = null);

/// <summary>A Deployment or StatefulSet and its pod template.</summary>
public sealed record Workload(string Kind, string Name, JsonObject Resource)
{
    public JsonObject PodSpec => Resource.Obj("spec", "template", "spec");

    public IReadOnlyDictionary<string, string> PodLabels => Resource.Obj("spec", "template", "metadata", "labels").Strings();

    public string? Component => PodLabels.GetValueOrDefault("app.kubernetes.io/component");

    /// <summary>Vigil's own services and the gateway (built from this repository), as opposed to third-party images.</summary>
    public bool IsVigilService => Kind == "Deployment" && Component is "service" or "gateway";

    public IReadOnlyList<JsonObject> Containers => PodSpec.Arr("containers").OfType<JsonObject>().ToList();

    /// <summary>The one container of a Vigil service.</summary>
    public JsonObject App => Containers.Single(c => c.Str("name") == "app");

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>One rendered kustomization: every document as a JSON object.</summary>
public sealed class Manifests(IReadOnlyList<JsonObject> documents)
{
    public IReadOnlyList<JsonObject> Documents { get; } = documents;

    public IEnumerable<JsonObject> OfKind(string kind) => Documents.Where(d => d.Str("kind") == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(d => d.Str("metadata", "name") == name);

    public JsonObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"No {kind}/{name} in the rendered manifests.");

    public IReadOnlyList<Workload> Workloads =>
        Documents.Where(d => d.Str("kind") is "Deployment" or "StatefulSet")
            .Select(d => new Workload(d.Str("kind")!, d.Str("metadata", "name")!, d))
            .ToList();

    public IReadOnlyList<Workload> VigilServices => Workloads.Where(w => w.IsVigilService).ToList();

    public Workload Workload(string name) =>
        Workloads.SingleOrDefault(w => w.Name == name) ?? throw new Xunit.Sdk.XunitException($"No workload named {name}.");

    /// <summary>A Secret's data, decoded (stringData is folded into data by kustomize).</summary>
    public IReadOnlyDictionary<string, string>? SecretData(string name) =>
        Find("Secret", name) is { } secret
            ? secret.Obj("data").Strings().ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String(p.Value)))
            : null;

    public IReadOnlyDictionary<string, string>? ConfigMapData(string name) =>
        Find("ConfigMap", name)?.Obj("data").Strings();

    /// <summary>A container's environment: <c>env</c> plus every key of the ConfigMaps and Secrets in <c>envFrom</c>.</summary>
    public IReadOnlyDictionary<string, EnvSource> Environment(JsonObject container)
    {
        var environment = new Dictionary<string, EnvSource>(StringComparer.Ordinal);
        foreach (var source in container.Arr("envFrom").OfType<JsonObject>())
        {
            if (source.Str("configMapRef", "name") is { } configMap)
            {
                foreach (var (key, value) in ConfigMapData(configMap) ?? throw Missing("ConfigMap", configMap))
                    environment[key] = new EnvSource(Value: value, ConfigMapName: configMap);
            }
            if (source.Str("secretRef", "name") is { } secret)
            {
                foreach (var key in (SecretData(secret) ?? throw Missing("Secret", secret)).Keys)
                    environment[key] = new EnvSource(SecretName: secret, SecretKey: key);
            }
        }
        foreach (var variable in container.Arr("env").OfType<JsonObject>())
        {
            var name = variable.Str("name")!;
            environment[name] = variable.Obj("valueFrom") switch
            {
                { } from when from.Obj("secretKeyRef").Count > 0 =>
                    new EnvSource(SecretName: from.Str("secretKeyRef", "name"), SecretKey: from.Str("secretKeyRef", "key")),
                { } from when from.Obj("configMapKeyRef").Count > 0 =>
                    new EnvSource(
                        Value: ConfigMapData(from.Str("configMapKeyRef", "name")!)?.GetValueOrDefault(from.Str("configMapKeyRef", "key")!),
                        ConfigMapName: from.Str("configMapKeyRef", "name")),
                _ => new EnvSource(Value: variable.Str("value")),
            };
        }
        return environment;

        static Xunit.Sdk.XunitException Missing(string kind, string name) => new($"envFrom names {kind}/{name}, which is not rendered.");
    }

    /// <summary>The workloads whose pods a label selector (matchLabels, matchExpressions) selects.</summary>
    public IReadOnlyList<Workload> Selected(JsonObject selector) => Workloads.Where(w => Matches(selector, w.PodLabels)).ToList();

    public static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = selector.Obj("matchLabels").Strings();
        var expressions = selector.Arr("matchExpressions").OfType<JsonObject>().ToList();
        // A Service's selector is a plain map; a label selector has matchLabels/matchExpressions.
        if (!selector.ContainsKey("matchLabels") && !selector.ContainsKey("matchExpressions")) matchLabels = selector.Strings();
        return matchLabels.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value)
            && expressions.All(e => e.Str("operator") switch
            {
                "In" => labels.TryGetValue(e.Str("key")!, out var v) && e.Arr("values").Select(x => x?.ToString()).Contains(v),
                "NotIn" => !(labels.TryGetValue(e.Str("key")!, out var v) && e.Arr("values").Select(x => x?.ToString()).Contains(v)),
                "Exists" => labels.ContainsKey(e.Str("key")!),
                "DoesNotExist" => !labels.ContainsKey(e.Str("key")!),
                var op => throw new NotSupportedException($"matchExpressions operator {op}"),
            });
    }
}

/// <summary>Navigation over JSON nodes that yields empty objects/arrays and nulls instead of throwing.</summary>
public static class JsonNavigation
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var step in path) node = node is JsonObject o && o.TryGetPropertyValue(step, out var next) ? next : null;
        return node;
    }

    public static string? Str(this JsonNode? node, params string[] path) => node.At(path) is JsonValue value ? value.ToString() : null;

    public static JsonObject Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject ?? [];

    public static JsonArray Arr(this JsonNode? node, params string[] path) => node.At(path) as JsonArray ?? [];

    public static IReadOnlyDictionary<string, string> Strings(this JsonObject node) =>
        node.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);
}

/// <summary>Kubernetes resource quantities ("250m", "2", "512Mi", "1G") as numbers, to compare requests with limits.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m),
    ];

    public static decimal Parse(string quantity)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
                return decimal.Parse(quantity[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture) * factor;
        }
        return decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture);
    }
}
