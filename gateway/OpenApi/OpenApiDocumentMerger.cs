using System.Text.Json.Nodes;

namespace Vigil.Gateway.OpenApi;

/// <summary>
/// Merges the services' OpenAPI documents into one. Paths are taken as they are (the gateway forwards them unchanged);
/// every component is renamed <c>{service}.{name}</c>, and the references to it with it, so that two services'
/// <c>Problem</c> schemas cannot clash. The first service to describe a path and method wins.
/// </summary>
public static class OpenApiDocumentMerger
{
    public const string ApiKeySchemeName = "apiKey";
    private const string ComponentsRefPrefix = "#/components/";

    public static JsonObject Merge(IReadOnlyList<(string Service, JsonObject Document)> documents, IReadOnlyList<string> unavailable)
    {
        var paths = new JsonObject();
        var components = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (service, original) in documents.OrderBy(d => d.Service, StringComparer.Ordinal))
        {
            var document = (JsonObject)original.DeepClone();
            RenameReferences(document, service);
            MergeComponents(document["components"] as JsonObject, service, components);
            MergePaths(document["paths"] as JsonObject, paths);
            foreach (var tag in (document["tags"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (tag["name"]?.GetValue<string>() is { } name && tagNames.Add(name)) tags.Add(tag.DeepClone());
            }
        }

        var schemes = components["securitySchemes"] as JsonObject ?? [];
        components["securitySchemes"] = schemes;
        schemes[ApiKeySchemeName] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "X-Api-Key",
            ["description"] = "An API key (vgl_...) with the scope the operation needs: read for GET, ingest or admin for writes.",
        };

        var merged = new JsonObject
        {
            ["openapi"] = documents.Select(d => d.Document["openapi"]?.GetValue<string>()).FirstOrDefault(v => v is not null) ?? "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Vigil API",
                ["version"] = "v1",
                ["description"] = unavailable.Count == 0
                    ? "Every service's API, as served through the gateway."
                    : $"Every service's API, as served through the gateway. Not described right now (unreachable): {string.Join(", ", unavailable)}.",
            },
            ["security"] = new JsonArray(new JsonObject { [ApiKeySchemeName] = new JsonArray() }),
            ["paths"] = paths,
            ["components"] = components,
        };
        if (tags.Count > 0) merged["tags"] = tags;
        return merged;
    }

    public static string PrefixedName(string service, string name) => $"{service}.{name}";

    private static void MergePaths(JsonObject? source, JsonObject target)
    {
        foreach (var (path, item) in source ?? [])
        {
            if (item is not JsonObject operations) continue;
            if (target[path] is not JsonObject existing)
            {
                target[path] = operations.DeepClone();
                continue;
            }

            foreach (var (method, operation) in operations)
            {
                if (!existing.ContainsKey(method)) existing[method] = operation?.DeepClone();
            }
        }
    }

    private static void MergeComponents(JsonObject? source, string service, JsonObject target)
    {
        foreach (var (kind, entries) in source ?? [])
        {
            if (entries is not JsonObject named) continue;
            var merged = target[kind] as JsonObject ?? [];
            target[kind] = merged;
            foreach (var (name, component) in named)
            {
                merged[PrefixedName(service, name)] = component?.DeepClone();
            }
        }
    }

    /// <summary>Rewrites every <c>$ref</c> to <c>#/components/{kind}/{name}</c> into the prefixed name.</summary>
    private static void RenameReferences(JsonNode? node, string service)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var target)
                        && target.StartsWith(ComponentsRefPrefix, StringComparison.Ordinal)
                        && target[ComponentsRefPrefix.Length..].Split('/', 2) is [var kind, var name])
                    {
                        obj[key] = $"{ComponentsRefPrefix}{kind}/{PrefixedName(service, name)}";
                    }
                    else
                    {
                        RenameReferences(value, service);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array) RenameReferences(item, service);
                break;
        }
    }
}
