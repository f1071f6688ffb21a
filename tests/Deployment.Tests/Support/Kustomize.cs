using System.Collections.Concurrent;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Vigil.Deployment.Tests.Support;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize</c> (or <c>kustomize build</c>), once per folder, and parses the
/// multi-document YAML.
/// </summary>
public static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<Manifests>> Rendered = new();

    /// <summary>The rendered overlay <c>k8s/overlays/{overlay}</c>.</summary>
    public static Manifests Overlay(string overlay) => Render($"k8s/overlays/{overlay}");

    public static Manifests Render(string relativeDirectory) =>
        Rendered.GetOrAdd(relativeDirectory, directory => new Lazy<Manifests>(() => Parse(Run(directory)))).Value;

    public static Manifests Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = stream.Documents
            .Select(document => ToJson(document.RootNode))
            .OfType<JsonObject>()
            .ToList();
        return new Manifests(documents);
    }

    private static string Run(string relativeDirectory)
    {
        // kubectl >= 1.21 has kustomize built in (components need kustomize v4+); a standalone kustomize does as well.
        var (tool, verb) = FindOnPath("kubectl") is { } kubectl ? (kubectl, "kustomize")
            : FindOnPath("kustomize") is { } kustomize ? (kustomize, "build")
            : throw new InvalidOperationException(
                "Neither kubectl nor kustomize is on PATH. These tests render k8s/overlays/* with `kubectl kustomize`: install " +
                "kubectl 1.21 or newer (https://kubernetes.io/docs/tasks/tools/; CI machines have it at /usr/bin/kubectl). " +
                "Debian's kubernetes-client package (1.20) is too old: its kustomize has no components.");
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(Repository.PathOf(relativeDirectory));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(tool)} {verb} {relativeDirectory} did not finish within 60 s.");
        }
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{Path.GetFileName(tool)} {verb} {relativeDirectory} failed ({process.ExitCode}):\n{error.Result}");
    }

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);

    /// <summary>YAML to JSON nodes; every scalar stays a string (kubectl prints numbers and booleans the same way).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };
}
